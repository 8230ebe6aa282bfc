"""Synthetic FRUS-like documents: a small block model, seeded prose and realistic notes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Inline markers inside block text: REF k marks footnote reference k, PB n a page break in a sentence.
REF = "\x00"
PB = "\x01"

ERAS = {  # era → (first year, last year, president, secretaries of state, presidential library)
    "1958-60": (1958, 1960, "Eisenhower", ("Dulles", "Herter"), "Eisenhower Library"),
    "1961-63": (1961, 1963, "Kennedy", ("Rusk",), "Kennedy Library"),
    "1964-68": (1964, 1968, "Johnson", ("Rusk",), "Johnson Library"),
    "1969-76": (1969, 1976, "Nixon", ("Rogers", "Kissinger"), "Nixon Presidential Materials"),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
COUNTRIES = {"France": ("751", "Paris", "French"), "Germany": ("762A", "Bonn", "German"),
             "Italy": ("765", "Rome", "Italian"), "the United Kingdom": ("741", "London", "British"),
             "Austria": ("763", "Vienna", "Austrian"), "Canada": ("742", "Ottawa", "Canadian"),
             "Belgium": ("755", "Brussels", "Belgian"), "the Soviet Union": ("761", "Moscow", "Soviet")}
OFFICIALS = ("Kohler", "Tyler", "Ball", "Bohlen", "McBride", "Burdett", "Schaetzel", "Looram",
             "Jandrey", "Greene", "Lambert", "Cook", "Frank", "Appling", "Christensen", "Kidder")
TOPICS = ("nuclear sharing", "the Common Market", "access to Berlin", "the multilateral force",
          "the balance of payments", "European integration", "disarmament", "the test ban",
          "NATO strategy", "Atlantic trade", "economic assistance", "the tariff negotiations",
          "the offset agreement", "the Geneva talks", "air defense", "the reorganization of NATO")
SUBJECTS = ("The Secretary", "The Ambassador", "The Foreign Minister", "The Chancellor",
            "The Prime Minister", "Our Embassy", "The Department", "The Under Secretary",
            "The President", "The delegation", "The Minister of Defense", "Our representative")
VERBS = ("stressed that", "pointed out that", "expressed concern that", "indicated that",
         "agreed that", "emphasized that", "was inclined to believe that", "reported that",
         "made clear that", "observed that", "suggested that", "recalled that")
CLAUSES = ("the Alliance must remain united on the question of {t}",
           "further discussion of {t} would be premature at this time",
           "his government could not accept any arrangement on {t} without prior consultation",
           "public statements on {t} had not been helpful",
           "the {a} position on {t} was hardening",
           "progress on {t} depended on the attitude of the {a} Government",
           "the Cabinet had not yet taken a decision on {t}",
           "any initiative on {t} should come from the Europeans themselves",
           "the matter of {t} would be raised again at the next ministerial meeting",
           "the press had misrepresented the {a} view of {t}")
# Syllables of made-up surnames: the vocabulary grows with the edition, as real names make it grow.
SYLLABLES = ("ka", "ver", "lo", "stein", "mar", "ot", "bri", "del", "han", "sen", "gru", "pol", "ti",
             "ros", "ack", "mei", "dor", "val", "ski", "ber", "nik", "ols", "fa", "zan", "quist", "hel",
             "mun", "eau", "ret", "cor", "lin", "vik", "gos", "ari", "tes", "bau", "wer", "ich", "ond", "ly")
ASIDES = ("In our view this reflects a genuine shift rather than a tactical maneuver.",
          "No commitment was made on either side.",
          "The conversation was cordial throughout, though frank on both sides.",
          "We see no reason to alter our present course.",
          "Embassy will report further as developments warrant.",
          "This assessment is shared by the British and Canadian Embassies here.",
          "It is not clear whether this represents the considered view of the Government.",
          "The Department may wish to consider an early reply.")


@dataclass
class Doc:
    """One synthetic document: blocks are ('p', text), ('ul', [(level, text)]), ('lines', [text]),
    ('ol', [(label, text)]), ('pb', page) or ('sig', name); notes[0] is the source note."""

    n: int
    title: str
    date: tuple[int, int, int]
    blocks: list[tuple[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def surname(rng: random.Random) -> str:
    """A made-up surname of two or three syllables."""
    return upper_first("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))


def sentence(rng: random.Random, adj: str) -> str:
    """One sentence of diplomatic prose, free of digits so no footnote reference is ambiguous."""
    r = rng.random()
    if r < 0.2:
        return rng.choice(ASIDES)
    clause = rng.choice(CLAUSES).format(t=rng.choice(TOPICS), a=adj)
    if r < 0.45:
        who = rng.choice((f"Ambassador {surname(rng)}", f"Minister {surname(rng)}", surname(rng)))
        return f"{who} told {surname(rng)} that {clause}."
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {clause}."


def paragraph(rng: random.Random, adj: str, size: int) -> str:
    """Sentences until about ``size`` characters."""
    out: list[str] = []
    while sum(len(s) + 1 for s in out) < size:
        out.append(sentence(rng, adj))
    return " ".join(out)


def digits(rng: random.Random, k: int) -> str:
    """A number of k digits from 3–9 only: telegram numbers in prose must not look like references."""
    return "".join(rng.choice("3456789") for _ in range(k))


def file_number(rng: random.Random, decimal: str, date: tuple[int, int, int]) -> str:
    """A State Department central file number: 711.5611/5–462 is filed May 4, 1962."""
    y, m, d = date
    return f"{decimal}/{m}–{d}{y % 100:02d}"


def source_note(rng: random.Random, era: str, decimal: str, date: tuple[int, int, int]) -> str:
    """Note 0: where the document is kept, its classification, drafting and distribution."""
    y = date[0]
    kind = rng.random()
    if kind < 0.6:
        where = f"Department of State, Central Files, {file_number(rng, decimal, date)}"
    elif kind < 0.8:
        where = (f"Department of State, Conference Files: Lot {y % 100 + 2} D {rng.randint(100, 599)}, "
                 f"CF {rng.randint(1000, 2999)}")
    elif kind < 0.9:
        where = f"Department of State, Secretary’s Memoranda of Conversation: Lot {y % 100 + 3} D {rng.randint(100, 399)}"
    else:
        where = f"{ERAS[era][4]}, National Security Files, Countries Series, {rng.choice(list(COUNTRIES))}"
    cls = rng.choice(("Secret", "Confidential", "Secret; Limit Distribution", "Confidential; Priority",
                      "Top Secret; Eyes Only", "Limited Official Use", "Secret; Niact"))
    extra = rng.choice((f"Drafted by {rng.choice(OFFICIALS)}.",
                        f"Drafted by {rng.choice(OFFICIALS)} and approved by {rng.choice(OFFICIALS)}.",
                        "Repeated to " + ", ".join(rng.sample([c[1] for c in COUNTRIES.values()], 3)) + ".",
                        "Also sent to the other NATO capitals.", ""))
    return f"Source: {where}. {cls}." + (f" {extra}" if extra else "")


def other_note(rng: random.Random, decimal: str, date: tuple[int, int, int], n: int, count: int) -> str:
    """Notes 1 and 2: related telegrams, unlocated papers, cross-references to earlier documents."""
    y, m, d = date
    r = rng.random()
    if r < 0.25 and n > 1:
        k = rng.randint(1, n - 1)
        return rng.choice((f"See Document {k}.", f"Printed as Document {k}.",
                           f"Regarding the earlier discussion, see Document {k}."))
    if r < 0.5:
        day = max(1, d - rng.randint(0, 3))
        return (f"Telegram {rng.randint(100, 4999)}, {MONTHS[m - 1]} {day}, reported the "
                f"discussions on {rng.choice(TOPICS)} in more detail. "
                f"(Ibid., {file_number(rng, decimal, (y, m, day))})")
    if r < 0.7:
        return rng.choice(("Not found.", "Not printed.", "Not further identified.",
                           "No record of this conversation has been found."))
    return (f"On {MONTHS[m - 1]} {d} {rng.choice(OFFICIALS)} sent a memorandum to "
            f"{rng.choice(OFFICIALS)} on {rng.choice(TOPICS)}. (Department of State, Conference Files: "
            f"Lot {y % 100 + 2} D {rng.randint(100, 599)}, CF {rng.randint(1000, 2999)})")


def upper_first(text: str) -> str:
    """Capitalise the first letter only."""
    return text[:1].upper() + text[1:]


def ref(k: int) -> str:
    """The inline marker of footnote reference k."""
    return f"{REF}{k}{REF}"


def glue(rng: random.Random, text: str, marker: str, sentence_end: bool) -> str:
    """Put a marker after a sentence's full stop or after a word, as FRUS places note references."""
    stops = [i + 1 for i, c in enumerate(text) if c == "." and i + 1 < len(text)]
    words = [i for i, c in enumerate(text) if c == " " and text[i - 1].isalpha()]
    spots = stops if (sentence_end and stops) else (words or [len(text)])
    at = rng.choice(spots)
    return text[:at] + marker + text[at:]


def title_of(rng: random.Random, era: str, country: str) -> tuple[str, str]:
    """A document title and its kind (telegram, memcon, letter, memorandum)."""
    _, _, president, secretaries, _ = ERAS[era]
    secretary = rng.choice(secretaries)
    r = rng.random()
    if r < 0.4:
        return f"Telegram From the Embassy in {country} to the Department of State", "telegram-in"
    if r < 0.6:
        return f"Telegram From the Department of State to the Embassy in {country}", "telegram-out"
    if r < 0.8:
        return "Memorandum of Conversation", "memcon"
    if r < 0.9:
        return f"Memorandum From Secretary of State {secretary} to President {president}", "memo"
    return f"Letter From President {president} to the {COUNTRIES[country][2]} Prime Minister", "letter"


def make_doc(rng: random.Random, era: str, n: int, date: tuple[int, int, int], page: int) -> Doc:
    """One document of about 4 KB: 8 paragraphs, 3 notes, 1 page break, sometimes a list."""
    country = rng.choice(list(COUNTRIES))
    decimal, city, adj = COUNTRIES[country]
    decimal = rng.choice((decimal + ".00", decimal + ".5611", "740.5", decimal + ".13"))
    title, kind = title_of(rng, era, country)
    doc = Doc(n=n, title=title + ref(0), date=date)
    paras = [paragraph(rng, adj, rng.randint(300, 520)) for _ in range(8)]
    if kind.startswith("telegram"):
        paras[0] = f"{digits(rng, rng.randint(2, 4))}. {paras[0]}"
    first = rng.randint(0, 2)
    second = rng.randint(first + 1, 7)
    paras[first] = glue(rng, paras[first], ref(1), rng.random() < 0.6)
    paras[second] = glue(rng, paras[second], ref(2), rng.random() < 0.6)
    blocks: list[tuple[str, object]] = [("p", p) for p in paras]
    if kind == "memcon":
        others = [f"{rng.choice(OFFICIALS)}, {rng.choice(('EUR', 'WE', 'RPE', 'S/S'))}" for _ in range(3)]
        blocks[0:0] = [("p", "SUBJECT"), ("ul", [(0, upper_first(rng.choice(TOPICS)))]),
                       ("p", "PARTICIPANTS"),
                       ("ul", [(0, "United States")] + [(1, o) for o in others]
                        + [(0, upper_first(country.replace("the ", "")))] + [(1, f"Ambassador {rng.choice(OFFICIALS)}")])]
    elif rng.random() < 0.3:
        items = [sentence(rng, adj) for _ in range(rng.randint(3, 6))]
        at = rng.randint(2, len(blocks) - 1)
        if rng.random() < 0.5:
            blocks.insert(at, ("lines", items))
        else:
            blocks.insert(at, ("ol", [(f"{chr(97 + i)}." if rng.random() < 0.3 else f"{i + 1}.", s)
                                      for i, s in enumerate(items)]))
    paragraphs = [i for i, (kind_, _) in enumerate(blocks) if kind_ == "p" and blocks[i][1] not in ("SUBJECT", "PARTICIPANTS")]
    at = rng.choice(paragraphs[1:])
    if rng.random() < 0.6:
        blocks[at] = ("p", glue(rng, str(blocks[at][1]), f" {PB}{page}{PB}", False))
    else:
        blocks.insert(at, ("pb", page))
    if kind == "telegram-in" and rng.random() < 0.6:
        blocks.append(("sig", rng.choice(OFFICIALS)))
    elif kind == "telegram-out" and rng.random() < 0.6:
        blocks.append(("sig", rng.choice(ERAS[era][3])))
    doc.blocks = blocks
    doc.notes = [source_note(rng, era, decimal, date)] + [other_note(rng, decimal, date, n, 2) for _ in range(2)]
    return doc
