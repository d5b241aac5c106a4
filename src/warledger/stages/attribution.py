"""Attribution: who asserts each quote and each sentence, in document order.

Walking in order lets "he said", "it said" and "the briefing added" resolve to
the source named before. A sentence is asserted by
- the speaker of the quote it sits in, or
- the subject of its main speech verb ("X said", "X believes", "X estimates"),
  the agent of a passive ("reported by Ukraine's general staff") or the
  object of "according to", or
- with a passive report and no agent ("57 attacks were reported"), the last
  source of the same paragraph.
Sources the asserting source relies on ("Russian media reporting suggests"
inside a UK MoD quote, "citing X") go to `via`. Otherwise the article speaks
in its own voice (source None).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon import load_yaml
from .paragraphs import SEPARATORS
from .quotes import QuoteIndex, QuoteSpan, is_cue
from .sentences import sentence_of, text_of
from .sources import SourceEntity, SpeakerResolver, author_entity

Doc.set_extension("wl_attribution", default=None, force=True)
Doc.set_extension("wl_resolver", default=None, force=True)


@dataclass
class Attribution:
    source: SourceEntity | None
    via: list[SourceEntity] = field(default_factory=list)
    cue: str | None = None


@functools.cache
def _cues() -> dict:
    return load_yaml("cues.yaml")


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def cue_subjects(verb: Token) -> list[Token]:
    """Tokens that may name who speaks through a cue verb, nearest the verb first.

    The parser sometimes gives "said" two subjects ("Israeli strikes killed 25,
    the health ministry said"); the one next to the verb is the speaker.
    """
    if _is_passive(verb):
        agent = _agent(verb)
        return [agent] if agent is not None else []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        return sorted(subjects, key=lambda t: abs(verb.i - t.i))
    # "..., adding that": the subject of the verb it hangs on
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i and is_cue(verb.head):
        return cue_subjects(verb.head)
    # "..., Odesa regional governor Oleh Kiper said": the parser lost the subject
    # that stands right before the verb
    before = verb.doc[verb.i - 1] if verb.i else None
    if before is not None and before.pos_ in ("PROPN", "NOUN") and before.sent == verb.sent:
        return [before]
    return []


def _according_to_objects(sent: Span) -> list[Token]:
    out = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            to = tok.doc[tok.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is None and to.i + 1 < sent.end:
                obj = next((t for t in tok.doc[to.i + 1:sent.end] if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
            if obj is not None:
                out.append(obj)
        elif tok.lower_ in ("citing", "quoting") and tok.dep_ != "ROOT":
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None:
                out.append(obj)
    return out


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


class Attributor:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.quotes: list[QuoteSpan] = doc._.wl_quotes or []
        self.quote_index = QuoteIndex(self.quotes)
        self.resolver = SpeakerResolver(doc, doc._.wl_mentions or [])
        self.by_sentence: dict[int, Attribution] = {}
        self.paragraph_last: dict[int, SourceEntity] = {}

    def in_quote(self, char: int) -> QuoteSpan | None:
        return self.quote_index.at(char)

    def _speaker(self, verb: Token) -> SourceEntity | None:
        for subject in cue_subjects(verb):
            entity = self.resolver.resolve(subject)
            if entity is not None:
                return entity
        return None

    def quote(self, index: int) -> None:
        quote = self.quotes[index]
        speaker = self._speaker(quote.cue) if quote.cue is not None else None
        if speaker is None and index:
            previous = self.quotes[index - 1]
            if quote.continues is not None or (quote.opens_paragraph and self._adjacent_paragraphs(previous, quote)):
                speaker = previous.speaker
                quote.continues = index - 1
                if quote.cue is None:
                    quote.cue = previous.cue
        quote.speaker = speaker
        if speaker is not None:
            self.resolver.last_speaker = speaker

    def _adjacent_paragraphs(self, previous: QuoteSpan, quote: QuoteSpan) -> bool:
        between = text_of(self.doc)[previous.paragraph_start:quote.paragraph_start]
        return sum(1 for p in between.split("\n") if p.strip()) == 1

    def sentence(self, sent: Span) -> Attribution:
        first = next((t for t in sent if not t.is_punct and not t.is_space), sent[0])
        paragraph = text_of(self.doc).rfind("\n", 0, sent.start_char) + 1
        quote = self.in_quote(first.idx)
        inner_cues = [t for t in sent if is_cue(t) and (quote is None) == (self.in_quote(t.idx) is None)]
        if quote is not None:
            via = self._distinct([self._speaker(v) for v in inner_cues], quote.speaker)
            result = Attribution(quote.speaker, via, quote.cue.text if quote.cue is not None else None)
        else:
            result = self._indirect(sent, inner_cues, paragraph)
        if result.source is not None:
            self.paragraph_last[paragraph] = result.source
            self.resolver.last_speaker = result.source
        self.by_sentence[sent.start] = result
        return result

    def _indirect(self, sent: Span, cues: list[Token], paragraph: int) -> Attribution:
        found: list[tuple[int, Token, SourceEntity | None]] = []
        for verb in cues:
            found.append((_depth(verb), verb, self._speaker(verb)))
        for obj in _according_to_objects(sent):
            found.append((_depth(obj), obj, self.resolver.resolve(obj)))
        resolved = sorted((f for f in found if f[2] is not None), key=lambda f: f[0])
        if resolved:
            _, cue, source = resolved[0]
            via = self._distinct([f[2] for f in resolved[1:]], source)
            return Attribution(source, via, cue.text)
        for _, verb, _ in found:
            if verb.lemma_.lower() in _cues()["passive_report_verbs"] and _is_passive(verb) and _agent(verb) is None:
                return Attribution(self.paragraph_last.get(paragraph), [], verb.text)
        return Attribution(None)

    @staticmethod
    def _distinct(entities, source) -> list[SourceEntity]:
        out = []
        for entity in entities:
            if entity is not None and entity is not source and entity not in out:
                out.append(entity)
        return out

    def run(self) -> None:
        pending = list(range(len(self.quotes)))
        previous = None
        for sent in self.doc.sents:
            while pending and self.quotes[pending[0]].start < sent.end_char:
                self.quote(pending.pop(0))
            self.sentence(sent)
            if previous is not None and _closes_headline(previous, sent):
                self._headline_source(previous, sent)
            previous = sent

    def _headline_source(self, headline: Span, tail: Span) -> None:
        """'Shelling kills two in Kherson - governor': the source closing a headline asserts it."""
        source = self.resolver.resolve(tail.root)
        if source is None or self.by_sentence[headline.start].source is not None:
            return
        self.by_sentence[headline.start] = self.by_sentence[tail.start] = Attribution(source, [], tail[0].text)
        self.paragraph_last[text_of(self.doc).rfind("\n", 0, headline.start_char) + 1] = source
        self.resolver.last_speaker = source


def _closes_headline(headline: Span, tail: Span) -> bool:
    """Whether a sentence is the source after a headline's dash or colon, on the headline's line."""
    return tail[0].text in SEPARATORS and headline.end == tail.start and "\n" not in headline[-1].whitespace_


def attribution_at(doc: Doc, token: Token) -> Attribution:
    """Who asserts what is said at this token: its quote's speaker, else its sentence's source, else the
    input's author (an official post says what it says in its own voice)."""
    attributor: Attributor = doc._.wl_resolver
    quote = attributor.in_quote(token.idx)
    sentence = attributor.by_sentence.get(sentence_of(token).start)
    if sentence is None or sentence.source is None:
        sentence = Attribution(_author(doc), sentence.via if sentence is not None else [])
    if quote is not None and quote.speaker is not None:
        via = sentence.via if sentence.source is quote.speaker else []
        return Attribution(quote.speaker, via, quote.cue.text if quote.cue is not None else None)
    return sentence


def _author(doc: Doc) -> SourceEntity | None:
    article = doc._.wl_article
    return author_entity(article.author) if article is not None else None


@Language.component("warledger_attribution")
def attribution_component(doc: Doc) -> Doc:
    attributor = Attributor(doc)
    attributor.run()
    doc._.wl_resolver = attributor
    doc._.wl_attribution = attributor.by_sentence
    return doc
