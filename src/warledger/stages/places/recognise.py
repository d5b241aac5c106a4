"""Recognition: which spans of an article name places.

It does not trust the small model's labels alone (it tags Bakhmut as ORG and
Zaporizhzhia as PERSON): candidates are its GPE/LOC/FAC/ORG/PERSON spans and
every run of capitalised words, looked up in the gazetteer, plus the patterns
"X region/oblast/province", "the region of X", "the X direction", "X, Y" and a
village the gazetteer lacks told with its region ("Dooxa village (Wanla Weyn,
Lower Shabelle)"). Guards keep out people (the sources stage's person mentions
and multi-word PERSON spans), nationality words, and common words that are also
places somewhere (data/place_stopwords.txt).
"""
from __future__ import annotations

import calendar
import functools
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from ...gazetteer import SKELETON_COUNTRIES, GazPlace, gazetteer, is_sizeable_place, norm_name
from ...lexicon import country_markers, data_path, group_name_openings, load_yaml, nationality_codes
from .features import FAMOUS_POPULATION
from .regions import hyphen_joined, is_word, locality_words, statement_after
from ..sentences import in_dateline, sentence_at, text_of


CUES = load_yaml("place_cues.yaml")
ADMIN_WORDS = frozenset(CUES["admin_words"])
TOWN_WORDS = frozenset(CUES["town_words"])
FRONT_WORDS = frozenset(CUES["front_words"])
RESIDENT_WORDS = frozenset(CUES["resident_words"])
OFFICE_WORDS = frozenset(CUES["office_words"])
ADDRESS_ENDS = frozenset(CUES["address_ends"])
CONNECTORS = frozenset(CUES["connectors"])
BEARINGS = frozenset(CUES["bearing_words"])
NUMBERED_UNITS = frozenset(CUES["numbered_units"])
LOCATIVES = frozenset(CUES["locatives"])
STRONG_LOCATIVES = frozenset(CUES["strong_locatives"])
PLACE_NOUNS = frozenset(CUES["place_nouns"])
PLACE_VERBS = frozenset(CUES["place_verbs"])
# every word that says what kind of place a name is ('Comilla town', 'the Bakhmut direction', 'a Cairo
# police station'), as opposed to the other things named after places ('the Sinaloa Cartel')
PLACE_KINDS = frozenset(CUES["admin_words"] + CUES["town_words"] + CUES["unit_words"] + CUES["front_words"]
                        + CUES["water_words"] + CUES["facility_heads"] + CUES["site_words"] + CUES["place_nouns"])
ETHNIC_MARKERS = frozenset(CUES["ethnic_markers"])
ARABIC_ARTICLES = frozenset(CUES["arabic_articles"])
PARTY_ABBREVIATIONS = frozenset(CUES["party_abbreviations"])
LABELS = {"GPE", "LOC", "FAC", "ORG", "PERSON"}
ENTITY_LOCATIVES = frozenset(CUES["entity_locatives"])
PLACE_LABELS = {"GPE", "LOC", "FAC"}
BRANCH_WORDS = frozenset(CUES["group_branch_words"])

# A name the model does not call a place must be a well-known one (or follow "in", "near"...).
MIN_POPULATION_UNLABELLED = 15_000
MAX_RUN = 5
# A capitalised word this rare in English (Zipf scale, wordfreq) is a name, not a common word
# that happens to be a place somewhere: "Kramatorsk" 1.7, "Peski" 0; "Metro" 4.2, "Bell" 4.6.
RARE_WORD_ZIPF = 3.0
# "on Jan 29", "in May 2020": a month the model dates is no place ('Jan' is an alternate name of Dschang)
MONTHS = frozenset(m.lower() for m in (*calendar.month_name, *calendar.month_abbr) if m) | {"sept"}



@functools.lru_cache(maxsize=100_000)
def is_rare_word(text: str) -> bool:
    """A word English seldom uses ('Chokoli', 'Peski'): a name more likely than a word."""
    from wordfreq import zipf_frequency

    return zipf_frequency(text, "en") < RARE_WORD_ZIPF


@functools.cache
def stopwords() -> frozenset[str]:
    with data_path("place_stopwords.txt").open(encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip() and not line.startswith("#"))


_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][a-z]{0,4}\.(?:[A-Z][a-z]?\.)?$")  # U.S., N.Y., Calif., W.Va.


# 'Paul VI', 'John Paul II', 'Challenger II': a numeral after a name makes it a person's (or a model's)
_REGNAL_NUMERAL = re.compile(r"^(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})$")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][A-Za-z\u00C0-\u024F'\u2019-]+")


def doc_tokens(doc: Doc) -> list:
    """The Doc's tokens, made once: `doc[i]` builds a new Token object on every access."""
    tokens = doc.user_data.get("wl_tokens")
    if tokens is None or len(tokens) != len(doc):
        tokens = doc.user_data["wl_tokens"] = list(doc)
        doc.user_data["wl_capitalised"] = [capitalised(t) for t in tokens]
    return tokens


def capitalised_flags(doc: Doc) -> list[bool]:
    doc_tokens(doc)
    return doc.user_data["wl_capitalised"]


def is_acronym(tok) -> bool:
    """'NATO', 'ADF', 'FAMa': capitals, or a word opening with two; not "L'Aquila" or 'McAllen'."""
    return tok.is_upper or tok.text[:2].isalpha() and tok.text[:2].isupper()


def capitalised(tok) -> bool:
    text = tok.text
    if not text[:1].isupper():
        return False  # most tokens: and every abbreviation opens with a capital
    return (is_word(tok) and tok.lower_ != "the") or bool(_ABBREVIATION.match(text))


def _initials(name: str) -> set[str]:
    """'Trinidad and Tobago' -> {'TT', 'T&T'}; 'South Africa' -> {'SA'}; one-word names have none."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return set()
    key = "".join(w[0] for w in words if w.lower() not in ("and", "of", "the")).upper()
    keys = {key} if len(key) >= 2 and key.isalpha() else set()
    if len(words) == 3 and words[1].lower() == "and":
        keys.add(f"{words[0][0]}&{words[2][0]}".upper())
    return keys


@dataclass
class Candidate:
    start: int
    end: int
    options: tuple[GazPlace, ...]
    prefer: str | None  # "admin", "town" or None
    label: str | None
    qualifier: str | None = None
    # a name with its own people or services ('a Paris man', 'Paris Police Department') or a street
    # address's town: resolution keeps it in the country of the article's other places
    local: bool = False


class Recogniser:
    def __init__(self) -> None:
        self.gaz = gazetteer()

    # -------------------------------------------------------------- recognition
    def _blocked(self, doc: Doc) -> list[bool]:
        """Tokens that cannot be part of a place name: people, surnames of people named in full, and
        the months of dates."""
        blocked = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ == "DATE":
                for tok in ent:
                    blocked[tok.i] = tok.lower_.rstrip(".") in MONTHS
        self._block_group_names(doc, blocked)
        self._block_regnal_names(doc, blocked)
        surnames = set()
        people = [(m.start, m.end) for m in doc._.wl_mentions or [] if m.entity.person]
        people += [(ent.start, ent.end) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2]
        people = [(start, _before_bracket(doc, start, end)) for start, end in people]
        for start, end in people:
            if self._place_not_person(doc, start, end):
                continue
            for i in range(start + self._office_of_a_place(doc, start, end), end):
                blocked[i] = True
            if end - start >= 2:
                surnames.add(doc[end - 1].text)
        # a surname blocks its other mentions, unless it is a country, a state or a city and the model
        # calls it a place more often ("Rethinking Egypt" read as a person's name in a headline)
        surnames = {name for name in surnames if not (
            self._mostly_a_place(doc, norm_name(name)) and self._famous(self.gaz.lookup(norm_name(name))))}
        if surnames:
            for tok in doc_tokens(doc):
                if tok.text in surnames:
                    blocked[tok.i] = True
        return blocked

    @staticmethod
    def _block_group_names(doc: Doc, blocked: list[bool]) -> None:
        """An armed group's name and the branch named after it: 'Islamic State Sahel Province' is a branch of
        the group, and the Sahel no place of the report; in 'Islamic State Attacks Raqqa Checkpoint' (a
        headline) Raqqa still is."""
        tokens, caps = doc_tokens(doc), capitalised_flags(doc)
        openings = group_name_openings()
        for i, tok in enumerate(tokens):
            for opening in openings.get(tok.lower_, ()) if caps[i] else ():
                size = len(opening)
                if tuple(t.lower_ for t in tokens[i:i + size]) == opening:
                    end = i + size
                    while end < len(tokens) and caps[end] and not tokens[end].is_sent_start:
                        end += 1
                    branch = end > i + size and tokens[end - 1].lower_ in BRANCH_WORDS
                    for k in range(i, end if branch else i + size):
                        blocked[k] = True

    def _block_regnal_names(self, doc: Doc, blocked: list[bool]) -> None:
        """'outside the Paul VI clinic', 'Challenger II tanks': the capitalised words before a Roman numeral
        name a pope, a king or a model, not Paul in Cabo Verde; back to a city's own name at most ('the Kharkiv
        World War II memorial'). A numbered district is a place ('Douala III', 'Bamako Commune VI', 'Region XII')."""
        for tok in doc_tokens(doc):
            if not (_REGNAL_NUMERAL.match(tok.text) and tok.i > 0 and capitalised(doc[tok.i - 1])):
                continue
            k = tok.i - 1
            if doc[k].lower_ in PLACE_KINDS or doc[k].lower_ in NUMBERED_UNITS:
                continue
            while k >= 0 and capitalised(doc[k]) and doc[k].is_alpha:
                folded = norm_name(doc[k].text)
                if self._keeps_its_name(self.gaz.lookup(folded), folded):
                    break
                blocked[k] = True
                if doc[k].is_sent_start:
                    break
                k -= 1

    def _office_of_a_place(self, doc: Doc, start: int, end: int) -> int:
        """How many words of a person's name are a place whose office follows: 2 in 'Anderson County
        Sheriff Greg Taylor', 1 in 'Kharkiv Governor Oleh Syniehubov'; 0 for most names."""
        for k in range(end - start - 1, 0, -1):
            if doc[start + k].lower_ in OFFICE_WORDS and self.gaz.lookup(norm_name(doc[start:start + k].text)):
                return k
        return 0

    def _place_not_person(self, doc: Doc, start: int, end: int) -> bool:
        """A name of two words or more the model or the sources stage calls a person, and the gazetteer
        a place, spaces aside: 'Tamil Nadu', 'Khan Younis', 'Marks Tey', 'Ceel Dheer', or a district and its kind:
        'Guma LGA', 'Bakhmut Raion'; or a village told by its kind and region: 'Kasuwan Daji village (Borgu,
        Niger State)'."""
        if end - start < 2:
            return False
        folded = norm_name(doc[start:end].text)
        if self.gaz.lookup(folded) or self.gaz.lookup(folded.replace(" ", "")):
            return True  # 'Khan Younis'; 'Ceel Dheer' for Ceeldheer
        if start > 0 and capitalised(doc[start - 1]) and self.gaz.lookup(norm_name(doc[start - 1:end].text)):
            return True  # the model's person cut from a place's name: 'Sector [Autonomo de Bissau]'
        if end < len(doc) and doc[end].lower_ in locality_words() and statement_after(doc, end) is not None:
            return True
        if end < len(doc) and doc[end].text == "(" and self.locative(doc, start, end, False) \
                and statement_after(doc, end) is not None:
            return True  # 'in Abdi Ali (Bay)', 'liberated Adan Yabaal (Middle Shabelle)'
        return doc[end - 1].lower_ in ADMIN_WORDS and any(
            o.feature in ("admin1", "admin2") for o in self.gaz.lookup(norm_name(doc[start:end - 1].text)))

    def _name_options(self, doc: Doc, start: int, end: int) -> tuple[GazPlace, ...]:
        """Gazetteer entries a capitalised span may name, after the guards for common words and
        nationality words; whether the context makes it a place is `_lookup`'s question."""
        words = doc[start:end]
        folded = norm_name(words.text)
        first_ok = capitalised(words[0]) or words[0].lower_ in ARABIC_ARTICLES
        last_ok = capitalised(words[-1]) or len(words) > 2 and words[-2].text == "-" and not words[-2].whitespace_
        if folded in stopwords() or not first_ok or not last_ok:
            return ()  # a lower-case last word only after a hyphen ('Hpa-an')
        if end < len(doc) and doc[end].is_alpha and norm_name(doc[start:end + 1].text) in nationality_codes():
            return ()  # "Sri" of "Sri Lankan" is not Sarigyugh, an Armenian village
        if len(words) == 1 and words[0].is_stop and not words[0].is_upper:
            return ()
        options = self.gaz.lookup(folded)
        if not options and len(words) > 1 and not words[0].is_stop:
            options = self.gaz.lookup(folded.replace(" ", ""))  # 'Ceel Dheer' for Ceeldheer; not 'A US' for Aus
        transliterated = not options
        if not any(self._strong(o) for o in options) and self._demonym(folded):
            return ()  # "Sri Lankan", "South Ossetian": context, not a village of that name or spelling
        if transliterated and (len(words) > 1 or is_rare_word(words.text)):
            if self._about_skeleton_countries(doc) or self._whole_line(doc, start, end):
                # "Verkhnetoretskoe" for Verkhnotoretske, in an article about the war there or as a line of
                # its own (a dateline, a label); not "Human" for Uman
                options = tuple(o for o in self.gaz.lookup_transliterated(folded) if o.country_code in SKELETON_COUNTRIES)
            if not options and self.locative(doc, start, end, False) and self._whole_place_entity(doc, start, end):
                options = self.gaz.respelt_abroad(folded)  # "in Quamishli", "in Nabatiyeh": a city or region
        if options and len(words) == 1 and words[0].lower_ in nationality_codes():
            # nationality words are context, not places; "US" is also the country's name
            return tuple(o for o in options if o.feature == "country" and words[0].is_upper)
        return options

    def _about_skeleton_countries(self, doc: Doc) -> bool:
        """Whether the article names one of the countries whose places are matched by transliteration,
        or a city there, or the user said it is about one: only then is an unknown rare word likely a
        respelt village ("Verkhnetoretskoe"), not a firm or a surname ("Petrojet", "Mangini")."""
        about = doc.user_data.get("wl_skeleton_countries")
        if about is None:
            article = doc._.wl_article
            markers = country_markers()
            words = set(_CAPITALISED_WORD.findall(text_of(doc)))  # a regex over the text: far quicker than tokens
            about = bool(article is not None and article.country in SKELETON_COUNTRIES) or any(
                markers.get(w.lower()) in SKELETON_COUNTRIES or self._city_in_skeleton_country(w) for w in words)
            doc.user_data["wl_skeleton_countries"] = about
        return about

    def _city_in_skeleton_country(self, word: str) -> bool:
        folded = norm_name(word)
        options = [o for o in self.gaz.lookup(folded) if norm_name(o.name) == folded]  # not 'Human' for Uman
        biggest = max(options, key=lambda o: o.population, default=None)
        return biggest is not None and biggest.country_code in SKELETON_COUNTRIES and (
            biggest.population >= 10_000 or biggest.feature == "admin1")

    def _lookup(self, doc: Doc, start: int, end: int, inside_longer: bool) -> tuple[GazPlace, ...]:
        """Gazetteer entries a span names here, after the guards for people, firms, acronyms and fragments."""
        options = self._name_options(doc, start, end)
        if not options:
            return ()
        words = doc[start:end]
        folded = norm_name(words.text)
        strong = any(self._strong(o) for o in options)
        if self._part_of_a_name(doc, start, end) and not is_rare_word(words.text) and (
                not strong or self._closes_rare_name(doc, start, end)):
            return ()  # "Charles Webb Center", "United Way", "the Mingingo Islands": a word of another name
        if len(words) == 1 and self._mostly_a_person(doc, folded) and not strong:
            return ()  # "Kristina": the model calls her a person more often than a place; not "Tega Cay"
        labelled = all(t.ent_type_ in PLACE_LABELS for t in words) and not self._opens_longer_entity(doc, start, end)
        if labelled and len(words) == 1 and words[0].ent_type_ == "FAC" and not is_rare_word(words.text):
            labelled = False  # the model's FAC on one common word ("Metro services")
        if all(t.is_upper or not t.is_alpha for t in words) and in_dateline(words[0]):
            return options  # "BOSTON (Reuters) -", "CAMP MURRAY, Wash. -": a dateline names a place
        if self._party_district(doc, start):
            return options  # "Sen. Tom Bakk, DFL-Cook": the legislator's home town
        if self._after_address(doc, start) and not inside_longer:
            return options  # "of 1935 Orchard St., Alexandria, was arrested": the address's town
        if len(words) == 1 and is_acronym(words[0]) and not labelled:
            return tuple(o for o in options if o.feature in ("country", "admin1", "region"))  # 'US', 'EU'; not 'NATO'
        if self._word_of_unknown_place(doc, start, end):
            return ()  # 'in Baga Sola': neither Baga in India nor Sola, a name of Seoul
        if self._the_common_name(doc, start, end, options):
            return ()  # 'gathered on the Mall': a street
        if labelled or self.locative(doc, start, end, inside_longer) or folded in self._place_like_names(doc):
            return options
        if self.locative(doc, start, end, inside_longer, weak=True) and (
                strong or not any(t.ent_type_ in ("PERSON", "ORG") for t in words)):
            return options  # "to Kramatorsk", "of Gaza"; not "to Kristina", "of Bell" (the model's people, firms)
        if not inside_longer and (is_rare_word(words.text) or self._whole_line(doc, start, end)
                                  or self._context_word(doc, end)[0] is not None or self._of_people(doc, start, end)):
            return options  # "Peski", a dateline, "Zaporizhzhia oblast", "Kherson city", "a Gainesville man"
        if any(t.ent_type_ in ("NORP", "PERSON", "ORG", "FAC") for t in words):
            # the model's other labels on a sizeable town ("Omdurman" NORP, "Bakhmut" ORG) are its mistakes,
            # unless the word is a common one ("Metro", "Toyota"); a country's or state's own name that
            # is, or opens, the model's ORG is the place or its government ("the border with Armenia")
            if words[0].ent_type_ == "ORG" and self._opens_name(doc, start) and any(
                    o.feature in ("country", "admin1") and norm_name(o.name) == folded for o in options):
                return options  # "the Minnesota Department of Transportation", "Georgia Bureau of Investigation"
            return options if self._sizeable(options) and (len(words) > 1 or is_rare_word(words.text)) else ()
        if len(words) > 1:
            return options if any(self._strong(o) for o in options) else ()
        return options if any(o.feature in ("country", "admin1", "region", "water", "facility") for o in options) else ()

    _sizeable = staticmethod(is_sizeable_place)

    @staticmethod
    def _the_common_name(doc: Doc, start: int, end: int, options: tuple[GazPlace, ...]) -> bool:
        """A name only towns bear, after a 'the' of its own, is a street's or a quarter's ('on the Mall in
        Islamabad' is not Mal, Belgium), unless a town is called so ('the Hague', 'the Bronx'); one a district,
        a region, a country or a sea bears too is not ('the Masisi', 'the Donbas', 'the Gambia')."""
        article = doc[start - 1] if start > 0 else None
        if end - start > 1 or article is None or article.lower_ != "the" or article.head.i != start \
                or end < len(doc) and capitalised(doc[end]):
            return False  # not 'the City of Norfolk', 'the Gainesville Riding Club Arena'
        return all(o.feature == "populated_place" and not o.name.lower().startswith("the ") for o in options)

    @staticmethod
    def _part_of_a_name(doc: Doc, start: int, end: int) -> bool:
        """Whether the words sit inside a longer named entity, after its first word ('Charles Webb Center',
        'United Way'); a name's first word is often the place it is named after ('Alexandria Police'), and
        so is the word after 'the' when an office of a place follows ('the Guernsey County Sheriff's
        Office'; not 'the Pink Flamingo Laundromat'). An entity the model runs on past 'in' holds two names
        ('Galle Face Green in Colombo': Colombo is a place of its own)."""
        token = doc[start]
        if not token.ent_type_ or token.ent_iob_ != "I":
            return False
        if doc[start - 1].lower_ in ENTITY_LOCATIVES:
            return False
        return not (end < len(doc) and doc[end].lower_ in OFFICE_WORDS and Recogniser._opens_name(doc, start))

    @staticmethod
    def _whole_place_entity(doc: Doc, start: int, end: int) -> bool:
        """Whether the words are one whole name the model calls a place ('in Quamishli'; not 'Magdalen' of
        'Magdalen College School')."""
        return doc[start].ent_iob_ == "B" and doc[start].ent_type_ in PLACE_LABELS \
            and all(t.ent_iob_ == "I" for t in doc[start + 1:end]) and (end == len(doc) or doc[end].ent_iob_ != "I")

    def _opens_longer_entity(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the model's place name runs on past these words into a rare capitalised word ('Bulo
        Bashiir'), or these close a rare name (`_closes_rare_name`): its label is for the longer name, a
        place the gazetteer lacks, not for 'Bulo' in the Philippines. English words after a name ('Kharkiv
        Oblast', 'Edgar County Sheriff', 'Sacramento River') leave it its own."""
        return self._closes_rare_name(doc, start, end) or any(
            self._rare_name_word(t) for t in doc[end:_entity_end(doc, end)])

    def _closes_rare_name(self, doc: Doc, start: int, end: int) -> bool:
        """Whether common words close a rare name in the model's entity: 'the Zeledva Hills', 'the Mingingo
        Islands' are not The Hills in Australia nor Islands in Hong Kong; a rare name after another
        ('Chokoli Pathar Gaon') is still a name of its own."""
        return not any(is_rare_word(t.text) for t in doc[start:end]) and any(
            self._rare_name_word(t) for t in doc[_entity_start(doc, start):start])

    # a town this big, named by its own name, keeps its name opening a longer one ('Khartoum Bahri')
    SIZEABLE_OWN_NAME = 50_000

    def _word_of_unknown_place(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words are part of the model's place name whose other words are rare names too and
        which the gazetteer lacks whole ('Baga' or 'Sola' of 'in Baga Sola'): one village's name, not two
        places. Not a name and the kind of place it is ('Kharkiv Oblast', 'Idlib Governorate'), nor a name with its
        region in brackets after it, which binds its words ('Datu Hoffer Ampatuan (Maguindanao)')."""
        first, last = _entity_start(doc, start), _entity_end(doc, end)
        others = [t for t in doc[first:last] if not start <= t.i < end]
        bracketed = last < len(doc) and doc[last].text == "("
        if not others or bracketed or doc[first].ent_type_ not in PLACE_LABELS \
                or not all(self._rare_name_word(t) and t.lower_ not in PLACE_KINDS for t in others):
            return False
        # 'Khartoum Bahri', 'Goma Nyiragongo'; not 'Gare' of 'Tillia Gare'
        a_city = start == first and self._keeps_its_name(self._name_options(doc, start, end),
                                                         norm_name(doc[start:end].text), ("country", "admin1"))
        return not a_city and not self._name_options(doc, first, last)

    def _keeps_its_name(self, options: tuple[GazPlace, ...], folded: str, kinds=("country",)) -> bool:
        """Whether a name is a state's (`kinds`) or a sizeable place's own: it stays a place inside a longer name
        ('Khartoum Bahri') and before a Roman numeral ('Douala III', 'the Kharkiv World War II memorial')."""
        return any(o.feature in kinds or o.population >= self.SIZEABLE_OWN_NAME and norm_name(o.name) == folded
                   for o in options)

    def _rare_name_word(self, tok) -> bool:
        return tok.is_alpha and capitalised(tok) and is_rare_word(tok.text)

    @staticmethod
    def _opens_name(doc: Doc, start: int) -> bool:
        """Whether a word opens a named entity, after 'the' at most: 'Armenia', 'the Georgia Bureau'."""
        return all(t.lower_ == "the" for t in doc[_entity_start(doc, start):start])

    def _demonym(self, folded: str) -> bool:
        """Whether a name is a people's adjective formed from a place's name ('Sri Lankan', 'Ossetian')."""
        for suffix in DEMONYM_SUFFIXES:
            if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
                options = self.gaz.lookup(folded[:-len(suffix)])
                if any(o.feature in ("country", "admin1", "region") for o in options) or self._sizeable(options):
                    return True
        return False


    def _of_people(self, doc: Doc, start: int, end: int) -> bool:
        """'a Gainesville man', 'Roswell police', 'Kherson residents': a place's people or services
        (not 'Area woman', 'Highways officials': the name must be one to the model, or a rare word)."""
        named = any(t.ent_type_ for t in doc[start:end]) or is_rare_word(doc[start:end].text)
        if not named or end >= len(doc):
            return False
        after = doc[end]
        return (after.is_lower and after.lower_ in RESIDENT_WORDS) or (
            after.ent_iob_ == "I" and after.lower_ in OFFICE_WORDS)  # 'Sochi Mayor Anatoly Pakhomov'

    @staticmethod
    def _after_address(doc: Doc, start: int) -> bool:
        """'1935 Orchard St., Alexandria', '8024 Turtle Creek Cir., Gainesville': a house number, a street,
        a comma, then the town."""
        if start < 4 or doc[start - 1].text != ",":
            return False
        end = start - 1
        if doc[end - 1].text == ".":  # the tokenizer splits 'Cir.' into 'Cir' and '.'
            end -= 1
        street = doc[end - 1].lower_ + ("." if end < start - 1 else "")
        if street not in ADDRESS_ENDS:
            return False
        return any(t.like_num for t in doc[max(0, end - 5):end - 1])

    @staticmethod
    def _party_district(doc: Doc, start: int) -> bool:
        """'Tom Bakk, DFL-Cook', 'Torrey Westrom, R-Elbow Lake': a legislator's party, then home town."""
        return start >= 3 and doc[start - 1].text == "-" and doc[start - 2].text in PARTY_ABBREVIATIONS \
            and doc[start - 3].text == ","

    @staticmethod
    def _whole_line(doc: Doc, start: int, end: int) -> bool:
        """A line that is nothing but the name ("Krasnogorivka" as a dateline or a label)."""
        sent, text = sentence_at(doc, start), text_of(doc)
        last = doc[end - 1]
        rest = text[sent.start_char:doc[start].idx] + text[last.idx + len(last):sent.end_char]
        return not any(ch.isalnum() for ch in rest)  # by characters: far quicker than spaCy's tokens

    @staticmethod
    def locative(doc: Doc, start: int, end: int, inside_longer: bool, weak: bool = False) -> bool:
        """'in X', 'near X', 'the town of X', 'shelled X', and the next names in a list: 'on X and Y'.
        With weak=True, also the prepositions that as often take a person or a firm ('to X', 'of X')."""
        if inside_longer or start == 0:
            return False
        allowed = LOCATIVES if weak else STRONG_LOCATIVES
        head = doc[end - 1].head
        if doc[end - 1].dep_ == "dobj" and (head.lemma_.lower() in PLACE_VERBS or head.lower_ in PLACE_VERBS):
            return True
        before = doc[start - 1]
        k = start - 1
        while k > 0 and start - k <= 3 and doc[k].dep_ in ("det", "amod") and doc[k].lower_ not in LOCATIVES:
            k -= 1  # "on the liberated Volchansk", "in the besieged town of"
        if doc[k].lower_ in allowed and k < start - 1:
            return True
        if before.lower_ == "of" and start >= 2 and doc[start - 2].lower_ in PLACE_NOUNS:
            return True  # "the town of X", "residents of X"
        if not weak and (before.lower_ in TOWN_WORDS or before.lower_ in ("capital", "port")) and start >= 2 \
                and doc[start - 2].lower_ not in ("the", "a", "an") and before.dep_ != "compound":
            return True  # "the Sri Lankan capital Colombo", "the frontline town Kaya" (not "the city Council")
        if before.lower_ in ("and", "or", ",") and start >= 2 and capitalised(doc[start - 2]):
            first = start - 2  # the name before in a list: "fell on Zaporozhye and Kramatorsk", "hit X and Y"
            while first > 0 and capitalised(doc[first - 1]):
                first -= 1
            return Recogniser.locative(doc, first, start - 1, False, weak)
        return before.lower_ in allowed

    @staticmethod
    def _name_labels(doc: Doc, folded: str) -> Counter:
        """How often the model gives each label to this name in the article."""
        tally = doc.user_data.get("wl_name_labels")
        if tally is None:
            tally = {}
            for ent in doc.ents:
                name = norm_name(ent.text.removesuffix("'s").removesuffix("\u2019s"))
                tally.setdefault(name, Counter())[ent.label_] += 1
                if ent.label_ == "PERSON" and len(ent) >= 2:  # the surname of a full name
                    tally.setdefault("\x00surname " + norm_name(ent[-1].text), Counter())["PERSON"] += 1
            doc.user_data["wl_name_labels"] = tally
        return tally.get(folded) or Counter()

    @staticmethod
    def _mostly_a_person(doc: Doc, folded: str) -> bool:
        """Whether the model labels this name a person (or a firm) more often than a place in the article."""
        labels = Recogniser._name_labels(doc, folded)
        if labels["PERSON"] < 2:
            return False  # once is the small model's slip (it calls many Ukrainian villages people)
        return labels["PERSON"] + labels["ORG"] > labels["GPE"] + labels["LOC"]

    @staticmethod
    def _people(doc: Doc, folded: str) -> int:
        """How often the model calls this name, or a full name ending in it, a person in the article
        ('Ryan Bingham' ... 'Bingham said')."""
        return Recogniser._name_labels(doc, folded)["PERSON"] + \
            Recogniser._name_labels(doc, "\x00surname " + folded)["PERSON"]

    @staticmethod
    def _mostly_a_place(doc: Doc, folded: str) -> bool:
        """Whether the model calls this name a place far more often than a person."""
        labels = Recogniser._name_labels(doc, folded)
        return labels["GPE"] + labels["LOC"] > 2 * Recogniser._people(doc, folded)

    def _place_like_names(self, doc: Doc) -> set[str]:
        """Names the document uses as places somewhere: tagged GPE/LOC, or after 'in', 'near', 'of'."""
        if "wl_place_like" not in doc.user_data:
            names = {norm_name(ent.text) for ent in doc.ents if ent.label_ in ("GPE", "LOC")}
            caps = capitalised_flags(doc)
            for t in doc_tokens(doc):
                if not caps[t.i]:
                    continue
                strong = self.locative(doc, t.i, t.i + 1, False)
                if not strong and (t.ent_type_ == "PERSON" or not self.locative(doc, t.i, t.i + 1, False, weak=True)):
                    continue
                folded = norm_name(t.text)
                if self._mostly_a_person(doc, folded):
                    continue
                if strong or any(self._strong(o) for o in self.gaz.lookup(folded)):
                    names.add(folded)
            doc.user_data["wl_place_like"] = names
        return doc.user_data["wl_place_like"]

    def candidates(self, doc: Doc) -> list[Candidate]:
        blocked = self._blocked(doc)
        taken = [False] * len(doc)
        found: list[Candidate] = []

        def take(start: int, end: int, options, prefer=None, label=None, qualifier=None) -> None:
            local = self._of_people(doc, start, end) or self._after_address(doc, start)
            found.append(Candidate(start, end, options, prefer, label, qualifier, local))
            for i in range(start, end):
                taken[i] = True

        runs = self._runs(doc, blocked)
        labels = {i: ent.label_ for ent in doc.ents if ent.label_ in LABELS for i in range(ent.start, ent.end)}
        # "Trinidad and Tobago", "Donetsk People's Republic", "Estey's Bridge": a place with 'and' or 's in
        # its name ('and' only inside a country's or region's: "Sderot and Ashkelon" are two towns)
        for (s1, e1), (s2, e2) in zip(runs, runs[1:]):
            if s2 != e1 + 1 or doc[e1].lower_ not in ("and", "'s", "\u2019s"):
                continue
            spans = [(s, e) for s in range(s1, e1) for e in range(e2, s2, -1)]
            for s, e in spans:
                options = tuple(o for o in self.gaz.lookup(norm_name(doc[s:e].text))
                                if o.feature in ("country", "admin1", "admin2", "region") or doc[e1].lower_ != "and")
                if options:
                    take(s, e, options, None, labels.get(s))
                    break
        for start, end in runs:
            # try the longest sub-run first: "Zaporizhzhia nuclear power plant" before "Zaporizhzhia";
            # a whole run of two words or more that names a place rejected here, or that is a stopword,
            # is not searched for parts ("Tega Cay" as a person is not "Cay", a Turkish town; "United
            # Russia" is a party, not Russia)
            folded = norm_name(doc[start:end].text)
            whole_name = end - start >= 2 and (bool(self._name_options(doc, start, end)) or folded in stopwords())
            for length in range(end - start, 0 if not whole_name else end - start - 1, -1):
                for s in range(start, end - length + 1):
                    e = s + length
                    if any(taken[s:e]) or (e - s == 1 and s > start and doc[s].lower_ in PLACE_KINDS):
                        continue  # not 'Cantonment' (Florida) of 'Lahore Cantonment', a kind of place after a name
                    # "Guma LGA", "Kupiansk Raion": a name and the kind of unit it is, not a longer name
                    named_unit = e == end - 1 and doc[e].lower_ in ADMIN_WORDS
                    options = self._lookup(doc, s, e, inside_longer=(e - s) < (end - start) and not named_unit)
                    if not options:
                        continue
                    prefer, qualifier = self._context_word(doc, e)
                    take(s, e, options, prefer, labels.get(s), qualifier or self._near(doc, s))
            if not any(taken[start:end]) and end - start >= 2 and self._word_of_unknown_place(doc, start, start + 1):
                take(start, end, (), "town", labels.get(start))  # 'Chokoli Pathar Gaon': placed if its region is stated
        # one sense per name: a name taken as a place somewhere in the article is a place at each
        # mention that stands alone ("Flying Tiger bids Gainesville goodbye"), and so is a name
        # listed with places ("Clarke, Madison, Oconee")
        known = {norm_name(doc[c.start:c.end].text): c.options for c in found}
        for start, end in runs:
            if any(taken[start:end]):
                continue
            folded = norm_name(doc[start:end].text)
            if self._people(doc, folded) or any(t.ent_type_ in ("PERSON", "") for t in doc[start:end]):
                continue  # 'Wash your hands'; 'coach Ripley' when Ripley is also a town named earlier
            options = known.get(folded)
            if options is None:  # a place named earlier opening a body's name: 'Gainesville City Elections'
                for k in range(end - start - 1, 0, -1):
                    opening = norm_name(doc[start:start + k].text)
                    if doc[start + k - 1].is_alpha and opening in known:
                        end, options = start + k, known[opening]
                        break
            if options is None and self._listed_with_a_place(doc, start, end, taken) \
                    and not all(t.is_upper for t in doc[start:end]):  # "the EU, NATO and ..."
                options = self._name_options(doc, start, end)
            if options:
                prefer, qualifier = self._context_word(doc, end)
                take(start, end, options, prefer, labels.get(start), qualifier or self._near(doc, start))
        # a place's initials once its full name is in the article: "T&T" after "Trinidad and Tobago",
        # "SA" after "South Africa"
        initials: dict[str, GazPlace] = {}
        for c in found:
            for o in c.options:
                if o.feature in ("country", "admin1", "region"):
                    for name in {doc[c.start:c.end].text, o.name}:
                        initials.update(dict.fromkeys(_initials(name), o))
        for tok in doc_tokens(doc) if initials else ():
            key = tok.text.replace(".", "")
            bracketed = tok.i > 0 and doc[tok.i - 1].text == "("  # "(AP)" after "Andhra Pradesh"
            word = tok.is_stop  # "TELL ME" in capitals is not the Middle East
            if not taken[tok.i] and not blocked[tok.i] and not bracketed and not word and key.isupper() \
                    and key in initials:
                take(tok.i, tok.i + 1, (initials[key],), None, labels.get(tok.i))
        # facilities and named features written in lower case ("the Zaporizhzhia power station")
        for start, end in self._lower_tails(doc, taken):
            options = self.gaz.lookup(norm_name(doc[start:end].text))
            specific = tuple(o for o in options if o.feature in ("facility", "water", "region"))
            if specific:
                for c in [c for c in found if c.start < end and start < c.end]:
                    found.remove(c)
                for i in range(start, end):
                    taken[i] = False
                take(start, end, specific, None, None, self._near(doc, start))
        # "Alexandria, La.": an abbreviation that is a place only after a comma
        for c in list(found):
            if c.end + 1 < len(doc) and doc[c.end].text == "," and not taken[c.end + 1]:
                tok = doc[c.end + 1]
                text, end = tok.text, tok.i + 1
                if not text.endswith(".") and end < len(doc) and doc[end].text == "." and not tok.whitespace_:
                    text, end = text + ".", end + 1  # the tokenizer splits "W.Va." into "W.Va" and "."
                options = self.gaz.lookup(norm_name(text), context_only=True)
                if options and text[0].isupper() and text.endswith("."):
                    take(tok.i, end, options, "admin")
        # "Knockhill, Fife.", "Oulton Park, Cheshire;": a county or state closing "Name, Y"
        for (s1, e1), (s2, e2) in zip(runs, runs[1:]):
            closes = e2 == len(doc) or doc[e2].text in (".", ",", ";", ")")
            if s2 != e1 + 1 or doc[e1].text != "," or not closes or any(taken[s2:e2]) \
                    or any(t.ent_type_ == "PERSON" for t in doc[s2:e2]):
                continue
            options = tuple(o for o in self._name_options(doc, s2, e2) if o.feature in ("admin1", "admin2"))
            if options:
                take(s2, e2, options, "admin", labels.get(s2))
        # a village the gazetteer lacks, told with its region: 'in Buufow village (Wanla Weyn, Lower Shabelle)';
        # resolution puts it at that region
        for start, end in runs:
            if start < 2 or end >= len(doc) or any(t.ent_type_ in ("DATE", "NORP", "TIME", "LANGUAGE")
                                                   for t in doc[start:end]) \
                    or norm_name(doc[start:end].text) in nationality_codes():
                continue  # not 'the English city of Salisbury', 'the Ukrainian city of Kherson'
            inside = [c for c in found if start <= c.start and c.end <= end]
            if any(taken[start:end]) and (not inside or any(c.end - c.start == end - start for c in inside)
                                          or any(taken[i] for i in range(start, end)
                                                 if not any(c.start <= i < c.end for c in inside))):
                continue  # a place of its own, not part of a longer name ('Tal' in 'Tal Hamis (Qamishli, ...)')
            region = statement_after(doc, end)
            if region is None:
                continue
            kind_after = doc[end].lower_ in locality_words()
            kind_before = doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in locality_words()
            bracketed = doc[region.start].text == "("
            label = labels.get(start)
            located = doc[start - 1].lower_ in STRONG_LOCATIVES and label not in ("ORG", "FAC", "PERSON")
            placed = label != "PERSON" or self.locative(doc, start, end, False)  # 'in Abdi Ali (Bay)'
            if kind_after or kind_before or (bracketed and placed or located) and doc[start - 1].lower_ != "the":
                for c in inside:
                    found.remove(c)
                take(start, end, (), "town", label, self._near(doc, start))
        found.sort(key=lambda c: c.start)
        return found

    @staticmethod
    def _listed_with_a_place(doc: Doc, start: int, end: int, taken: list[bool]) -> bool:
        """'Cleveland, Columbus, Dayton and Cincinnati': a name next to a place in a list."""
        joins = {",", "and", "or", "&"}
        before = start >= 2 and doc[start - 1].lower_ in joins and taken[start - 2]
        after = end + 1 < len(doc) and doc[end].lower_ in joins and taken[end + 1]
        return before or after

    @staticmethod
    def _famous(options: tuple[GazPlace, ...]) -> bool:
        return any(o.feature in ("country", "admin1", "region") or o.population >= FAMOUS_POPULATION for o in options)

    @staticmethod
    def _strong(o: GazPlace) -> bool:
        """A place well known enough to take a capitalised word for it without the model's say-so."""
        return o.feature in ("country", "admin1", "facility", "water", "region") or o.population >= MIN_POPULATION_UNLABELLED

    @staticmethod
    def _joins(doc: Doc, j: int) -> bool:
        """A small word inside a name: 'Rostov-on-Don', 'Deir ez-Zor', 'Bosnia and Herzegovina' is not one."""
        tokens = doc_tokens(doc)
        word = tokens[j].lower_
        if j + 1 >= len(tokens):
            return False
        if word == "-" or (word in ARABIC_ARTICLES and tokens[j + 1].text == "-"):
            return True
        if tokens[j + 1].ent_type_ == "DATE":
            return False  # 'Kyiv on Friday', 'Kharkiv on March 3': a name and its day, not 'Rostov-on-Don'
        caps = capitalised_flags(doc)
        if hyphen_joined(tokens[j]):  # 'Port-au-Prince', 'Aix-en-Provence'
            return True
        return word in CONNECTORS and (caps[j + 1] or tokens[j + 1].text == "-" or (  # 'Qala-e-Naw'
            tokens[j + 1].lower_ in CONNECTORS and j + 2 < len(tokens) and caps[j + 2]))  # 'Santa Cruz de la Sierra'

    @staticmethod
    def _runs(doc: Doc, blocked: list[bool]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words (with 'of', 'al-' and the like inside)."""
        tokens, caps = doc_tokens(doc), capitalised_flags(doc)
        runs = []
        i = 0
        while i < len(tokens):
            arabic_start = tokens[i].lower_ in ARABIC_ARTICLES and i + 2 < len(tokens) and tokens[i + 1].text == "-" \
                and caps[i + 2]
            if blocked[i] or not (caps[i] or arabic_start):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < MAX_RUN and not blocked[j] and not tokens[j].is_sent_start and (
                caps[j] or Recogniser._joins(doc, j)
            ):
                j += 1
            end = j
            while end > i + 1 and not caps[end - 1] and tokens[end - 2].whitespace_:
                end -= 1  # 'Gorlovka - city administration' (but 'Frankenstein-esque' is one word)
            if Recogniser._lower_tail_named(doc, i, end):
                end, j = end + 1, j + 1  # 'Hpa-an'; not 'Kyiv-based'
            runs.append((i, end))
            i = j
        return runs

    @staticmethod
    def _lower_tail_named(doc: Doc, start: int, end: int) -> bool:
        """Whether a run ending in a hyphen goes on into a lower-case word of the same name, as the gazetteer
        writes it ('Hpa-an' for Hpa-An): a word joined so is most often English ('Kyiv-based', 'Moscow-led')."""
        if end >= len(doc) or doc[end - 1].text != "-" or doc[end - 2].whitespace_ or doc[end - 1].whitespace_ \
                or not doc[end].is_alpha or not doc[end].is_lower:
            return False
        return bool(gazetteer().lookup(norm_name(doc[start:end + 1].text)))

    @staticmethod
    def _lower_tails(doc: Doc, taken: list[bool]):
        """'Zaporizhzhia power station', 'al-Shifa hospital': a name and the lower-case words after it,
        looked up whole whatever the model made of the name."""
        tokens, caps = doc_tokens(doc), capitalised_flags(doc)
        for i in range(len(tokens)):
            if not caps[i]:
                continue
            start = i - 2 if i >= 2 and tokens[i - 1].text == "-" and tokens[i - 2].lower_ in ARABIC_ARTICLES else i
            lower = 0  # how many lower-case words follow, up to four
            while lower < 4 and i + 1 + lower < len(tokens) and tokens[i + 1 + lower].is_alpha \
                    and tokens[i + 1 + lower].is_lower:
                lower += 1
            for length in range(lower, 0, -1):
                yield start, i + 1 + length
            if start < i:
                yield start, i + 1

    @staticmethod
    def _context_word(doc: Doc, end: int) -> tuple[str | None, str | None]:
        """The word after a name: 'Donetsk region' (admin), 'Kherson city' (town), 'the Bakhmut direction'."""
        word = doc[end].lower_ if end < len(doc) else ""
        if word in ADMIN_WORDS:
            return "admin", None
        if word in TOWN_WORDS:
            return "town", None
        if word in FRONT_WORDS:
            return "town", "near"
        return None, None

    @staticmethod
    def _near(doc: Doc, start: int) -> str | None:
        """'near Bakhmut', 'outside Kherson', 'on the outskirts of Avdiivka', 'region of Donetsk'."""
        before = " ".join(t.lower_ for t in doc[max(0, start - 4):start])
        for cue in ("near", "outside", "outskirts of", "around", "close to", "south of", "north of",
                    "east of", "west of", "southeast of", "southwest of", "northeast of", "northwest of", "direction of"):
            if before.endswith(cue):
                return "near"
        if before.endswith(("region of", "province of", "oblast of", "state of", "department of", "governorate of")):
            # "the region of Donetsk", "the Nigerian state of Niger" name a region; "the Tillaberi region of
            # Niger" names its country
            named_region = start >= 3 and capitalised(doc[start - 3]) and doc[start - 3].lower_ not in nationality_codes()
            return None if named_region else "region"
        return None


def _before_bracket(doc: Doc, start: int, end: int) -> int:
    """Where the model's entity should end: before a bracket it runs into ('Ain Issa (Raqqa' is a town
    and its region, not one person)."""
    return next((t.i for t in doc[start + 1:end] if t.text == "("), end)


def _entity_start(doc: Doc, i: int) -> int:
    """The first token of the model's entity a token is inside (the token itself outside one)."""
    while i > 0 and doc[i].ent_iob_ == "I":
        i -= 1
    return i


def _entity_end(doc: Doc, i: int) -> int:
    """Where the model's entity running on at token i ends."""
    while i < len(doc) and doc[i].ent_iob_ == "I":
        i += 1
    return i


DEMONYM_SUFFIXES = ("ian", "an", "n", "ese", "i", "ish")
