"""Resolution: which gazetteer entry each recognised name stands for.

A region the text states for a name binds it (regions.py); among the entries
left, one weighted score decides (features.py, weights in
data/place_weights.yaml): population, feature, the article's country and
admin-1 focus (from names that are not ambiguous), a region named right after
it, distance to the article's other places. A few rules then speak for the
article as a whole: a wire dateline, a list of one kind, one sense per name,
a street named after a distant town.
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ...gazetteer import GazPlace, gazetteer, haversine_km, norm_name
from ...lexicon import actor_countries, load_yaml, nationality_codes
from .features import FAMOUS_POPULATION, WORLD_CITY_POPULATION, features, is_own_name, score
from .recognise import ADMIN_WORDS, TOWN_WORDS, Candidate, Recogniser, capitalised, doc_tokens, is_acronym
from .regions import bind_to_article, fallback_place, stated_regions
from ..sentences import in_wire_dateline, sentence_at


CUES = load_yaml("place_cues.yaml")
WATER_WORDS = frozenset(CUES["water_words"])
FACILITY_HEADS = frozenset(CUES["facility_heads"])
# A street or building named after a place this far from the article's nearest other place is put there.
LOCALITY_KM = 100
# The user's hint of the war's country counts as much as this many unambiguous places.
COUNTRY_HINT_VOTES = 3
# An article whose country evidence (its unambiguous places, stated regions, nationality words) is
# this much one country's is about that country: a small place abroad is not meant ("the Myanmar Army
# clashed with the KIA in Mansi" is not Muncie, Indiana, whose Russian name is Mansi).
EVIDENT_COUNTRY_SHARE = 0.75
# A city this big owns its name: a town it is only another name of and SIZE_DOMINANCE times bigger is not
# meant ('Dili' is not Delhi).
OWN_NAME_CITY_POPULATION = 100_000
# A city this many times bigger than any namesake is the name's sense whatever the article says.
SIZE_DOMINANCE = 20
# The kinds of unit a nationality word counts for the country of ('the Honduran town of ...').
KIND_WORDS = ADMIN_WORDS | TOWN_WORDS
# An armed group of one country ("Boko Haram", "the ADF") counts this much towards it.
ACTOR_VOTES = 1.0


def actors_named(doc: Doc) -> list[str]:
    """The country of each armed group the text names that fights in its own country ('Boko Haram
    attacked Illela': Nigeria's Illela, not Niger's). A short name counts only as an acronym ('the ADF',
    'FAMa'; not 'Adf')."""
    names = actor_countries()
    longest = max(map(len, names))
    tokens = doc_tokens(doc)
    words = [t.lower_ for t in tokens]
    found = []
    for i in range(len(tokens)):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            code = names.get(tuple(words[i:i + n]))
            if code and (n > 1 or len(words[i]) > 5 or is_acronym(tokens[i])):
                found.append(code)
                break
    return found


@dataclass
class PlaceMention:
    start: int  # tokens
    end: int
    place: GazPlace
    qualifier: str | None = None  # "near", "outskirts", "direction": the event is around, not in, the place
    fallback: str | None = None  # "admin1"/"admin2": a place the gazetteer lacks, put at its stated region
    context: bool = False  # a name that only says where another place is: 'Gumare village (Bulo Burto, Hiraan)'
    stated: bool = False  # its region is stated right after it ('Ar Ruwayshid (Mafraq)'): a place, whatever else

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


class Resolver:
    def __init__(self) -> None:
        self.trace: dict[int, list] | None = None  # candidate -> [(entry, features)] when explaining
        self.stated: list = []  # each candidate's stated region, of the last Doc resolved

    def resolve(self, doc: Doc, candidates: list[Candidate]) -> list[PlaceMention]:
        demonyms = nationality_codes()
        country_votes: Counter[str] = Counter()
        article = doc._.wl_article
        if article is not None and article.country:
            country_votes[article.country] += COUNTRY_HINT_VOTES
        for tok in doc_tokens(doc):
            code = demonyms.get(tok.lower_)
            if code:
                # 'in the Honduran town of Santa Barbara' counts as much as a place there; 'the French
                # territory of New Caledonia' does not outvote the territory
                country_votes[code] += 1.25 if tok.dep_ in ("amod", "compound") and tok.head.lower_ in KIND_WORDS \
                    else 0.25
        for code in actors_named(doc):
            country_votes[code] += ACTOR_VOTES
        admin_votes: Counter[int] = Counter()
        anchors: list[GazPlace] = []
        filtered = [self._filtered(doc, c) for c in candidates]  # each candidate's options, once
        for options in filtered:
            best = self._unambiguous(options) if options else None
            if best is not None:
                if best.country_code and (best.population or best.feature != "populated_place"):
                    country_votes[best.country_code] += 1  # not a hamlet of unknown size ('Yaga' in Qinghai)
                if best.admin1_id:
                    admin_votes[best.admin1_id] += 1
                anchors.append(best)
        stated = stated_regions(doc, candidates, self._list_joined)
        said: dict[int, set[str]] = {}  # sentence start -> the countries its stated regions lie in
        for region in {id(r): r for r in stated if r is not None}.values():
            if len(region.countries()) == 1:
                country_votes[next(iter(region.countries()))] += 1
                said.setdefault(sentence_at(doc, region.start).start, set()).update(region.countries())
        stated = [bind_to_article(r, country_votes) for r in stated]
        self.stated = stated
        evident = self._evident_country(country_votes)
        named: dict[int, dict[int, str]] = {}  # sentence start -> candidate -> the country of the state it names
        for k, (c, options) in enumerate(zip(candidates, filtered)):
            country = self._country_named(doc, c, options)
            if country:
                named.setdefault(sentence_at(doc, c.start).start, {})[k] = country
        names = [norm_name(doc[c.start:c.end].text) for c in candidates]
        for k, c in enumerate(candidates):
            home = self._home_of(doc, c, k, said, named, article.country if article is not None else None)
            if home is not None:
                stated_home = said.get(sentence_at(doc, c.start).start) == {home}
                filtered[k] = self._at_home(filtered[k], home, names[k], regions_too=stated_home)
            elif evident is not None:
                filtered[k] = self._at_home(filtered[k], evident, names[k], spelt=names[k])
        in_statement = {i for r in stated if r is not None for s, e in r.names for i in range(s, e)}
        anchor = self._centre(anchors)
        contexts = [self._neighbour_context(doc, candidates, k) for k in range(len(candidates))]

        def best_of(k: int, votes: Counter, centre, article_rules=None) -> GazPlace | None:
            options = filtered[k]
            allowed = [o for o in options if stated[k] is None or stated[k].contains(o)]
            if not allowed:
                return None
            c = candidates[k]
            water_name = bool(set(names[k].split()) & WATER_WORDS)
            scored = [(o, features(o, names[k], options, c.prefer, c.qualifier, water_name, country_votes, votes,
                                   centre, contexts[k])) for o in allowed]
            for o, values in scored:
                values.update(article_rules(o) if article_rules else {})
            if self.trace is not None:
                self.trace[k] = scored  # the last scoring of a name is the one that decided it
            return max(scored, key=lambda pair: score(pair[1]))[0]

        first = [best_of(k, admin_votes, anchor) for k in range(len(candidates))]
        # a second pass: every place chosen in the first (not only the unambiguous ones) says which
        # state or oblast the article is about, so "Gainesville" and "Hall County" settle each other
        chosen = [b for b in first if b is not None]
        all_votes = Counter(admin_votes)
        all_votes.update(b.admin1_id for b in chosen if b.admin1_id and b.feature != "country")
        centre = self._centre(chosen) or anchor
        local_names = {names[k] for k, c in enumerate(candidates)
                       if c.local}
        homes = {name: self._home_country(first, names, name) for name in local_names}
        mentions = []
        for k, c in enumerate(candidates):
            context = c.start in in_statement
            if first[k] is None and stated[k] is not None and not context:
                start = self._whole_name_start(doc, c)
                place, unit = fallback_place(doc[start:c.end].text, stated[k], country_votes)
                mentions.append((k, PlaceMention(start, c.end, place, c.qualifier, fallback=unit.feature)))
                continue
            if first[k] is None:
                continue
            votes = all_votes
            own = first[k].admin1_id if first[k].feature != "country" else None
            if own:  # a place does not vote for itself
                votes = all_votes.copy()
                votes[own] -= 1
            alone = not contexts[k]  # not 'Washington, D.C.', 'CAMP MURRAY, Wash.'
            dateline = self._wire_dateline_city(doc, c) if alone else None
            listed = self._like_its_list(doc, candidates, first, k) if alone else None
            home = homes.get(names[k]) if alone else None

            def article_rules(o: GazPlace, dateline=dateline, listed=listed, home=home) -> dict[str, float]:
                """What the article as a whole says of this entry (weighted to outrank the rest)."""
                out = {}
                if dateline is not None and o.id == dateline.id:
                    out["wire_dateline"] = 1
                if listed is not None and o.id == listed.id:
                    out["like_its_list"] = 1
                if home is not None and o.country_code == home:
                    out["local_home"] = 1
                return out

            best = best_of(k, votes, centre, article_rules)
            if alone and best.feature in ("country", "admin1"):
                others = [opts for j, opts in enumerate(filtered) if names[j] != names[k]]
                best = self._country_or_state(best, filtered[k], names[k], others)
            qualifier = c.qualifier
            if c.prefer == "admin" or best.feature in ("admin1", "admin2", "region", "water"):
                qualifier = qualifier or "region"
            if stated[k] is not None and not stated[k].contains(best):
                best = best_of(k, votes, centre) or best  # the stated region binds over every rule above
            mentions.append((k, PlaceMention(c.start, c.end, best, qualifier, context=context,
                                             stated=stated[k] is not None and stated[k].contains(best))))
        settled = self._one_sense(mentions, names, contexts)
        return [self._street_or_building(doc, m, settled) for m in settled]

    @staticmethod
    def _whole_name_start(doc: Doc, c: Candidate) -> int:
        """Where a name the gazetteer lacks begins: the capitalised words the parser joins to the part it
        found ('Kafr' of 'Kafr Ruma', 'Dogon' of 'Dogon Dawa'), which the place keeps as its name."""
        start = c.start
        while start > 0 and doc[start - 1].is_alpha and capitalised(doc[start - 1]) and not doc[start - 1].is_sent_start \
                and doc[start - 1].dep_ == "compound" and c.start <= doc[start - 1].head.i < c.end:
            start -= 1
        return start

    @staticmethod
    def _home_of(doc: Doc, c: Candidate, k: int, said: dict[int, set[str]], named: dict[int, dict[int, str]],
                 hint: str | None) -> str | None:
        """The country a name's sentence sets by the one region it states ('in the town of Kafr Batna in
        Rural Damascus'), else by the states or provinces it names, all in one country ('on the Sahm El
        Golan road in Dar'a'), else the user's hint for the article."""
        sentence = sentence_at(doc, c.start).start
        here = said.get(sentence) or {country for j, country in named.get(sentence, {}).items() if j != k}
        return next(iter(here)) if len(here) == 1 else hint

    @staticmethod
    def _evident_country(votes: Counter) -> str | None:
        total = sum(votes.values())
        country, most = votes.most_common(1)[0] if votes else (None, 0)
        return country if most >= 1 and most >= EVIDENT_COUNTRY_SHARE * total else None

    @staticmethod
    def _country_named(doc: Doc, c: Candidate, options: tuple[GazPlace, ...]) -> str | None:
        """The country of the state or province a name surely stands for: its own name after 'in', 'near'
        ("in Dar'a") or in brackets ("airbase (An Nuqat al Khams)"), or told by its kind ("Kayah state"), in one country only (not Georgia, not Punjab). A country's
        name sets nothing: "a Chattanooga soldier killed in Iraq" stays in Tennessee."""
        bracketed = c.start > 0 and doc[c.start - 1].text == "(" and c.end < len(doc) and doc[c.end].text == ")"
        said_so = c.prefer == "admin" or bracketed or (Recogniser.locative(doc, c.start, c.end, False)
                                                       and not (c.end < len(doc) and capitalised(doc[c.end])))
        if not said_so:
            return None  # 'on Rivers Avenue', 'Grad missile systems': not the states of those names
        folded = norm_name(doc[c.start:c.end].text)
        units = [o for o in options if o.feature == "admin1" and (c.prefer == "admin" or norm_name(o.name) == folded)]
        countries = {o.country_code for o in units}
        if len(countries) != 1 or c.local:
            return None  # 'a Delta police officer' is from a town
        country = next(iter(countries))
        biggest = max(options, key=lambda o: o.population)
        return country if biggest.country_code == country else None  # not 'in Delta' for a Canadian town

    @staticmethod
    def _at_home(options: tuple[GazPlace, ...], home: str, written: str, regions_too: bool = False,
                 spelt: str | None = None) -> tuple[GazPlace, ...]:
        """In an article about one country a name is a small place only there: 'Al' in a Libyan report is
        not Ål in Norway, nor 'Loi' Loei in Thailand in a Burmese one. Large and famous places abroad stay,
        except, when the sentence states its regions in that country (`regions_too`), regions abroad (an
        'Eastern Region' is not Uganda's in a note on 'Balaka (Balaka, Southern)') and places abroad named by
        another of their names than their own, unless world cities ('Kiev'). When the country is only
        evident from the article's evidence, small places abroad named as written (`spelt`) stay too
        ('Lebanon' in Indiana), and only another language's name for one is dropped ('Mansi' in a Burmese
        report is not Muncie, Indiana)."""
        def abroad_ok(o: GazPlace) -> bool:
            if spelt is not None and norm_name(o.name) == spelt and o.population:
                return True  # not a hamlet of unknown size ('Yaga' in Qinghai in a Nigerian note)
            if regions_too and (o.feature in ("admin1", "admin2") or not (
                    is_own_name(o, written) or o.population >= WORLD_CITY_POPULATION)):
                return False  # 'Ariel' beside 'Arbinda (Soum, Sahel)' is not Jerusalem, one of whose names it is
            return o.population >= FAMOUS_POPULATION

        return tuple(o for o in options if o.country_code in (home, None) or o.feature in ("country", "region", "water")
                     or abroad_ok(o))

    @staticmethod
    def _home_country(first: list, names: list[str], name: str) -> str | None:
        """The one country all the article's other places lie in, when there are two or more: where a
        name with its own people and services ('a Paris man', 'Paris Police Department', 'Dublin City
        Council') is, in a local paper from Tennessee or Ohio, rather than the famous namesake abroad."""
        others = [b.country_code for b, other in zip(first, names) if b is not None and other != name]
        return others[0] if len(others) >= 2 and len(set(others)) == 1 else None

    @staticmethod
    def _country_or_state(best: GazPlace, options, folded: str, others: list) -> GazPlace:
        """Georgia the country or the US state, Niger the country or the Nigerian state: the one more of
        the article's other names can lie in (Gainesville and Hall County can be in Georgia; Tillaberi in
        Niger); the scores' choice when they say nothing either way."""
        same = [o for o in options if o.feature in ("country", "admin1") and norm_name(o.name) == folded]
        if len({o.country_code for o in same}) < 2:  # not Mexico and its State of Mexico
            return best

        def support(place: GazPlace) -> int:
            if place.feature == "country":
                return sum(any(o.country_code == place.country_code for o in opts) for opts in others)
            # a name famous elsewhere says little for a state full of namesakes (Moscow, Georgia)
            return sum(any(o.admin1_id == place.id for o in opts) and not any(
                o.admin1_id != place.id and (o.feature == "country" or o.population >= 100_000) for o in opts)
                for opts in others)

        ranked = sorted(same, key=support, reverse=True)
        if support(ranked[0]) > support(ranked[1]):
            return ranked[0]
        return best

    @staticmethod
    def _wire_dateline_city(doc: Doc, c: Candidate) -> GazPlace | None:
        """'WASHINGTON (AP) -', 'LONDON (Reuters) -': the biggest town of the name. (A local paper's
        dateline names its own county's towns alone: 'HAMILTON -' in Ohio, so only wire datelines.)"""
        if not in_wire_dateline(doc[c.start]):
            return None
        return max((o for o in c.options if o.feature == "populated_place"), key=lambda o: o.population, default=None)

    @staticmethod
    def _like_its_list(doc: Doc, candidates: list[Candidate], first: list, k: int) -> GazPlace | None:
        """Names in one list are of one kind: 'California or Washington', 'Hawaii and Guam, Louisiana,
        Nevada' are states, 'Egypt, Poland and Peru' countries. The state or country of this name when a
        name listed beside it was settled as one (of the same country, for a state)."""
        for j in (k - 1, k + 1):
            if not 0 <= j < len(candidates) or first[j] is None or first[j].feature not in ("admin1", "country"):
                continue
            a, b = (candidates[j], candidates[k]) if j < k else (candidates[k], candidates[j])
            if not Resolver._list_joined(doc, a, b):
                continue
            kind = first[j]
            same = [o for o in candidates[k].options if o.feature == kind.feature
                    and (kind.feature == "country" or o.country_code == kind.country_code)]
            if same:
                return max(same, key=lambda o: o.population)
        return None

    @staticmethod
    def _list_joined(doc: Doc, a: Candidate, b: Candidate) -> bool:
        """'A and B', 'A or B', 'A, B and C', 'A, B, C'; not 'Dublin, Ohio' (a town and its state)."""
        between = [t.lower_ for t in doc[a.end:b.start]]
        if between in (["and"], ["or"], [",", "and"], [",", "or"]):
            return True
        return between == [","] and Resolver._list_goes_on(doc, b.end)

    @staticmethod
    def _list_goes_on(doc: Doc, end: int) -> bool:
        """Another name follows in a list: ', X', 'and X', 'or X'."""
        rest = doc[end:end + 2]
        return len(rest) == 2 and rest[0].lower_ in (",", "and", "or") and capitalised(rest[1])

    @staticmethod
    def _street_or_building(doc: Doc, m: PlaceMention, mentions: list[PlaceMention]) -> PlaceMention:
        """'Hampton Avenue in the St. Louis Hills', 'Eglinton Avenue West': a street or building named
        after a town far from all the article's other places, which lie together, is in the nearest of
        those, not in Hampton, Illinois; 'Kherson airport' in a Kherson story stays where Kherson is. A region's
        name between a place and a building's head names the building, which is in that place ('Seoul
        Central District Court')."""
        end = m.end
        if end < len(doc) and capitalised(doc[end]) and doc[end].lower_ in FACILITY_HEADS:
            end += 1
            if end < len(doc) and doc[end].lower_ in ("west", "east", "north", "south"):
                end += 1
        if end == m.end:
            return m
        named_after = next((o for o in mentions if o.end == m.start), None)
        if m.place.feature in ("admin1", "admin2") and named_after is not None:
            return Resolver._facility(doc, m, end, named_after.place)  # 'Seoul Central District Court' is in Seoul
        if m.place.feature != "populated_place":
            return m

        def near(a: GazPlace, b: GazPlace) -> bool:
            return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= LOCALITY_KM

        others = [o for o in mentions if o.place.feature in ("populated_place", "admin2")
                  and norm_name(o.place.name) != norm_name(m.place.name)]
        if any(near(m.place, o.place) for o in others):
            return m  # the place is where the article is
        # the article's area: places with another of its places nearby
        area = [o for o in others if any(p.place.id != o.place.id and near(o.place, p.place) for p in others)]
        if not area:
            return m
        return Resolver._facility(doc, m, end, min(area, key=lambda o: abs(o.start - m.start)).place)

    @staticmethod
    def _facility(doc: Doc, m: PlaceMention, end: int, locality: GazPlace) -> PlaceMention:
        """The street or building named by tokens m.start..end, put where `locality` is."""
        name = doc[m.start:end].text
        facility = GazPlace(-2_000_000_000 - zlib.crc32(name.encode("utf-8")), None, name, locality.latitude,
                            locality.longitude, locality.country_code, locality.admin1, locality.admin1_id,
                            "facility", 0)
        return PlaceMention(m.start, end, facility, m.qualifier)

    @staticmethod
    def _one_sense(mentions: list[tuple[int, PlaceMention]], names: list[str], contexts) -> list[PlaceMention]:
        """One place per name in an article: 'Dublin' settled once ('Dublin, Ohio') is that Dublin throughout.
        `mentions` pairs each mention with its candidate's index into `names` and `contexts`."""
        by_name: dict[str, list[tuple[int, PlaceMention]]] = {}
        for k, m in mentions:
            by_name.setdefault(names[k], []).append((k, m))
        for pairs in by_name.values():
            group = [m for _, m in pairs]
            if len({m.place.id for m in group}) < 2:
                continue
            settled = [m for k, m in pairs if contexts[k]]
            counts = Counter(m.place.id for m in group)
            winner = settled[0].place if settled else max(group, key=lambda m: counts[m.place.id]).place
            for m in group:
                if m.place.feature == winner.feature or winner.feature == "populated_place":
                    m.place = winner
        return [m for _, m in mentions]

    @staticmethod
    def _filtered(doc: Doc, c: Candidate) -> tuple[GazPlace, ...]:
        """The entries a name may mean here: the regions when the text says it is one; and, when a city of
        some size bears the name as its own, not a far bigger one the name is only another name of ('Dili' is
        Timor-Leste's capital, though also a name of Delhi in another script)."""
        if c.qualifier == "region" or c.prefer == "admin":
            admin = tuple(o for o in c.options if o.feature in ("admin1", "admin2", "region"))
            return admin or c.options
        written = norm_name(doc[c.start:c.end].text)
        owner = max((o.population for o in c.options if o.feature == "populated_place" and is_own_name(o, written)),
                    default=0)
        if owner < OWN_NAME_CITY_POPULATION:
            return c.options
        return tuple(o for o in c.options if o.feature != "populated_place" or is_own_name(o, written)
                     or o.population < SIZE_DOMINANCE * owner)

    @staticmethod
    def _unambiguous(options: tuple[GazPlace, ...]) -> GazPlace | None:
        """The place a name surely means, whatever the article: its only entry, its one country, sea,
        region or facility with no state or city of that name (the Middle East, not the hamlet in
        Maryland), or a city twenty times the size of any namesake. None when the article must decide."""
        if len(options) == 1:
            return options[0]
        specific = [o for o in options if o.feature in ("country", "facility", "water", "region")]
        rivals = [o for o in options if o.feature == "admin1" or o.population >= 100_000]
        if len(specific) == 1 and not (set(rivals) - set(specific)):  # not Georgia, the state and the country
            return specific[0]
        first, second = sorted(options, key=lambda o: o.population, reverse=True)[:2]
        return first if first.population >= 100_000 and first.population >= SIZE_DOMINANCE * max(second.population, 1) \
            else None

    @staticmethod
    def _centre(anchors: list[GazPlace]) -> tuple[float, float] | None:
        points = [(a.latitude, a.longitude) for a in anchors if a.feature != "country"]
        if not points:
            return None
        lats = sorted(p[0] for p in points)
        lons = sorted(p[1] for p in points)
        return lats[len(lats) // 2], lons[len(lons) // 2]

    @staticmethod
    def _neighbour_context(doc: Doc, candidates: list[Candidate], k: int) -> set[tuple[str | None, str | None]]:
        """(country, admin1) of the region or country named right after 'X,', 'X (' or 'X in': 'Berestove,
        Kharkiv', 'Dublin (Ohio)', 'Katerynivka in the Luhansk region'. Not a town there ('After Paris,
        London is...'), not a place joined by 'to' or 'and' ('from Amsterdam to Berlin'), not the next name
        of a list ('Washington, New York and Boston')."""
        out: set[tuple[str | None, str | None]] = set()
        here = candidates[k]
        after = candidates[k + 1] if k + 1 < len(candidates) else None
        for joint in ([","], ["("], ["in", "the"], ["in"]):
            end = here.end + len(joint)
            if [t.lower_ for t in doc[here.end:end]] != joint or end >= len(doc):
                continue
            if after is not None and after.start == end:
                if Resolver._list_goes_on(doc, after.end):
                    return out
                options = after.options
            else:  # a name that is only ever context: 'Peski, DPR', 'Pavlovka in the DPR'
                options = gazetteer().lookup(norm_name(doc[end].text), context_only=True) if doc[end].is_upper else ()
            break
        else:
            return out
        for o in options:
            if o.feature == "country":
                out.add((o.country_code, None))
            elif o.feature in ("admin1", "admin2"):
                out.add((o.country_code, o.admin1))
        return out
