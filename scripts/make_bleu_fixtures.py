#!/usr/bin/env python3
"""Writes the BLEU, chrF and 13a fixtures in Tests/TranslationTests/Fixtures/bleu/.

Every expected value comes from sacreBLEU itself, so the Swift tests check our
implementation against the reference one, digit for digit:

    python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu==2.6.0
    /tmp/sb/bin/python scripts/make_bleu_fixtures.py

Files written:
  cases/<name>.json   hypotheses and references given to sacreBLEU's Python API, their
                      13a tokenization, and for lowercase off and on the BLEU and chrF
                      text lines, JSON and unrounded scores, and the lines of
                      each sentence pair scored alone;
  text_rules.json     Python's str.lower/rstrip/split and number formatting on tricky input;
  cli/<name>/         ref.txt and hyp.txt files, and what the sacrebleu command prints for
                      them, to test reading files the way the command line does.

The sentences are written here; the "machine translations" of the realistic set are
made from them by seeded random edits (drop, swap, substitute, repeat, truncate words).
"""

import json
import random
import subprocess
import sys
from pathlib import Path

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

VERSION = "2.6.0"
OUT = Path(__file__).resolve().parent.parent / "Tests" / "TranslationTests" / "Fixtures" / "bleu"


# ---------------------------------------------------------------------------
# Small hand-made cases, one property each
# ---------------------------------------------------------------------------

SMALL_CASES = {
    "perfect_match": (
        ["The cat sat on the mat.", "A dog is running through the park, chasing a red ball."],
        ["The cat sat on the mat.", "A dog is running through the park, chasing a red ball."],
    ),
    "no_match": (
        ["Purple elephants dance quietly", "Nothing here overlaps"],
        ["The cat sat on the mat.", "A dog runs in the park."],
    ),
    "empty_hypotheses": (
        ["", "", ""],
        ["The cat sat on the mat.", "A dog runs.", "Two men talk."],
    ),
    "empty_lines": (
        ["The cat sat on the mat.", "", "Two men are talking outside.", "", "   "],
        ["The cat sat on the mat.", "", "Two men talk outside a shop.", "Someone waves.", ""],
    ),
    "empty_references": (
        ["The cat sat on the mat.", "A dog runs."],
        ["", ""],
    ),
    "short_hypotheses": (
        ["A man rides.", "Two dogs play in the snow.", "Children."],
        [
            "A man in a black jacket rides a bicycle down the street.",
            "Two brown dogs play together in the deep snow.",
            "Children are laughing at a clown in the park.",
        ],
    ),
    "longer_hypotheses": (
        ["A man in a black jacket is riding a very old bicycle slowly down the long street today."],
        ["A man rides a bicycle down the street."],
    ),
    "too_short_for_four_grams": (
        ["the cat", "a dog"],
        ["the cat sat", "a dog ran"],
    ),
    "unigram_matches_only": (
        ["mat the on sat cat the", "park the in runs dog a"],
        ["the cat sat on the mat", "a dog runs in the park"],
    ),
    "clipped_counts": (
        ["the the the the the the the", "on on on the mat mat"],
        ["the cat is on the mat", "the cat sat on the mat"],
    ),
    "unicode_punctuation": (
        [
            "„Das ist gut“, sagte sie — und ging…",
            "He said \u201cwait\u201d\u2014then left\u2026 quickly.",
            "A price of 5\u00a0€ is fair\u00a0!",
            "\u00abBonjour\u00bb, dit-il \u2013 en souriant.",
            "Caf\u00e9 and cafe\u0301 are not the same code points.",
            "Wide\u3000space and thin\u2009space and zero\u200bwidth.",
            "ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ.",
            "İstanbul’s streets, ‚quoted‘ — yes.",
        ],
        [
            "„Das ist gut“, sagte sie – und ging ...",
            "He said \u201cwait\u201d \u2014 then left\u2026 quickly.",
            "A price of 5 € is fair!",
            "\u00ab Bonjour \u00bb, dit-il - en souriant.",
            "Caf\u00e9 and caf\u00e9 are not the same code points.",
            "Wide space and thin space and zero width.",
            "οδος και σοφια.",
            "Istanbul's streets, 'quoted' - yes.",
        ],
    ),
    "numbers": (
        [
            "The total was 1,000.50 dollars, up 3.5% from 10-15 days ago.",
            "Call 555-1234 at 7:45, or on 12/03/2021.",
            "Version 1.2.3 costs $5,000 (about 4.500,00 €).",
            "It rose by -5 to 3.14. Then 2,5 and .5 and 5. and ,5",
            "Scores: 10-15, 20 - 25, 30-40-50.",
        ],
        [
            "The total was 1,000.50 dollars, 3.5 % more than 10 - 15 days ago.",
            "Call 555-1234 at 7:45 or on 12/03/2021.",
            "Version 1.2.3 costs $5,000 (about 4.500,00 €).",
            "It rose by -5 to 3.14. Then 2.5 and 0.5 and 5. and 0,5",
            "Scores: 10-15, 20-25, 30-40-50.",
        ],
    ),
    "html_entities": (
        [
            "Tom &amp; Jerry say &quot;hi&quot; to &lt;you&gt;.",
            "Escaped twice: &amp;lt;b&amp;gt; and &amp;amp;",
            "Not decoded: &apos;x&apos; &#39;y&#39; &nbsp; &copy;",
            "A <skipped> word and <b>bold</b> text.",
        ],
        [
            'Tom & Jerry say "hi" to <you>.',
            "Escaped twice: <b> and &",
            "Not decoded: 'x' 'y'  ©",
            "A word and bold text.",
        ],
    ),
    "tabs_and_spaces": (
        ["The\tcat\tsat on\tthe mat.\t", "  Leading and   inner   spaces ", "Tab\t\tat\tends\t"],
        ["The cat sat on the mat.", "Leading and inner spaces", "Tab at ends"],
    ),
    "mixed_case": (
        ["THE CAT SAT ON THE MAT.", "A Dog Runs In The Park.", "new york is BIG"],
        ["The cat sat on the mat.", "A dog runs in the park.", "New York is big"],
    ),
    "single_characters": (
        ["a", "b c", "x", "ab"],
        ["a", "b", "xyz", "abc"],
    ),
    "ascii_symbols": (
        [
            "e-mail me@example.com or visit https://example.org/a_b?c=d&e=f#top",
            "Use {braces}, [brackets], (parens), <angles>, a|b, ~tilde, ^caret, `tick` and \\back.",
            "Don't split it's or rock'n'roll, but do split \"quotes\" and ... dots...",
            "Math: 2+2=4, 3*4=12, 10/2=5, 7-3=4, 50% off, #1 and @home!?",
        ],
        [
            "email me@example.com or visit https://example.org/a_b?c=d&e=f#top",
            "Use {braces}, [brackets], (parens), <angles>, a | b, ~ tilde, ^ caret, `tick` and \\ back.",
            "Don't split it's or rock'n'roll, but do split \"quotes\" and ... dots ...",
            "Math: 2 + 2 = 4, 3 * 4 = 12, 10 / 2 = 5, 7 - 3 = 4, 50 % off, # 1 and @ home!?",
        ],
    ),
}

# Strings only tokenized: line breaks and other input that a line of a file cannot hold.
TOKENIZER_EXTRAS = [
    "long-\nterm care",
    "first line\nsecond line",
    "<skipped><skipped>gone",
    "&amp;quot; &quot;&amp;",
    "a.b,c d.,e 1.a a.1 1,a a,1 1-a a-1 -1 1- --",
    "..,,..",
    "1..2,,3--4",
    "\u0663.\u0664 (Arabic-Indic digits are not [0-9])",
    "\uff11,\uff12 (fullwidth digits)",
    "x\u0301. combining mark before a period",
    "\r\n\u000b\u000c\u001c\u0085 separators \u2028\u2029",
    "",
    "   ",
    ".",
    "-",
    "emoji 👍🏽, flags 🇩🇪 and ZWJ 👩‍💻.",
]


# ---------------------------------------------------------------------------
# The realistic set: sentences written here, hypotheses made by random edits
# ---------------------------------------------------------------------------

HANDWRITTEN = [
    "A man in a blue shirt is standing on a ladder, cleaning the windows.",
    "Two young girls are playing with a small brown puppy in the garden.",
    "The restaurant closes at 10 p.m. on weekdays, and at midnight on Fridays.",
    "She didn't know whether the train would arrive on time.",
    "Please send the signed contract to our office by Monday, 3 June.",
    "The committee approved a budget of $2.5 million for the new library.",
    "\"We're going to win this game,\" the coach told reporters.",
    "It's been raining for three days, so the river has risen by 1.2 metres.",
    "My grandmother (who is 92) still walks to the market every morning.",
    "Can you tell me where the nearest pharmacy is?",
    "The museum's new exhibition features over 300 paintings from the 19th century.",
    "After the meeting, everyone went out for coffee and cake.",
    "A group of tourists is taking photos in front of the cathedral.",
    "The software update fixes a bug that caused the app to crash on start-up.",
    "Unemployment fell to 4.3% in the third quarter, the lowest since 2008.",
    "He parked his car outside the bakery and bought two loaves of bread.",
    "The children wore bright yellow raincoats on their school trip.",
    "Scientists have discovered a new species of frog in the rainforest.",
    "I'll call you back as soon as I've finished dinner.",
    "The bridge, built in 1889, is one of the city's best-known landmarks.",
    "A woman with a red umbrella is crossing the busy street.",
    "Tickets cost 12 euros for adults and 6 euros for children under 14.",
    "The old fisherman repaired his nets while the sun went down.",
    "Why did the company decide to move its headquarters to Berlin?",
    "The recipe calls for 250 g of flour, 2 eggs and a pinch of salt.",
    "Several people are waiting at the bus stop in the snow.",
    "She has been learning to play the violin since she was five.",
    "The match was postponed because of heavy rain and strong winds.",
    "According to the report, sales increased by 15-20% last year.",
    "A little boy in a green hat is feeding ducks at the pond.",
    "Our flight was delayed for two hours, so we missed the connection.",
    "The teacher asked the students to hand in their essays by Friday.",
    "Don't forget to turn off the lights when you leave the room!",
    "The mayor opened the new swimming pool on Saturday morning.",
    "A dog with a stick in its mouth is running along the beach.",
    "They've lived in the same house on Elm Street for thirty years.",
    "The price of petrol rose to 1.85 euros per litre in July.",
    "Two men in orange vests are repairing the road near the station.",
    "The festival attracts more than 50,000 visitors every summer.",
    "If you need any help, just ask one of our staff members.",
]

NAMES = ["Anna", "Peter", "Maria", "Tom", "Laura", "Jonas", "Sofia", "David", "Emma", "Paul"]
SUBJECTS = [
    "A man", "A woman", "An old man", "A young woman", "Two children", "A little girl",
    "A group of friends", "Three musicians", "A tall man in a black coat", "A woman in a red dress",
    "Several workers", "A boy with a backpack", "Two dogs", "A street vendor", "The waiter",
    "A cyclist", "An elderly couple", "A team of firefighters", "A small child", "The tourists",
]
ACTIONS = [
    "is walking", "is sitting", "is standing", "is waiting", "are talking", "is reading a newspaper",
    "is playing the guitar", "are eating lunch", "is painting a fence", "is carrying a heavy box",
    "is riding a bicycle", "are dancing", "is selling vegetables", "is taking a photograph",
    "is climbing a rock wall", "are laughing", "is drinking coffee", "is fixing a car",
    "is throwing a ball", "is looking at a map",
]
PLACES = [
    "in the park", "on the beach", "near the river", "outside a small shop", "in front of a church",
    "on a crowded street", "at the train station", "in a busy market", "under a large tree",
    "next to a fountain", "in the kitchen", "on a snowy mountain", "by the lake", "in a library",
    "at the corner of the street",
]
TIMES = [
    "", "", "", " in the morning", " at night", " on a sunny day", " while it rains",
    " after work", " in the evening",
]
NOUNS = [
    "report", "bicycle", "contract", "garden", "concert", "letter", "meeting", "computer",
    "painting", "recipe", "bridge", "museum", "ticket", "phone", "window",
]
ADJECTIVES = ["new", "old", "expensive", "small", "well-known", "broken", "beautiful", "local", "last"]


def grammar_sentence(rng):
    """One sentence from a few everyday frames, with numbers, quotes and contractions."""
    frame = rng.randrange(8)
    name, other = rng.sample(NAMES, 2)
    noun, adjective = rng.choice(NOUNS), rng.choice(ADJECTIVES)
    if frame <= 2:
        subject, action, place = rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(PLACES)
        if subject.startswith(("Two", "Three", "Several", "The tourists", "A group")) or " and " in subject:
            action = action.replace("is ", "are ", 1)
        elif action.startswith("are "):
            action = action.replace("are ", "is ", 1)
        return f"{subject} {action} {place}{rng.choice(TIMES)}."
    if frame == 3:
        return f"\"I don't think the {noun} is ready,\" {name} said to {other}."
    if frame == 4:
        price = f"{rng.randrange(1, 5000):,}.{rng.randrange(100):02d}"
        return f"The {adjective} {noun} costs ${price}, about {rng.randrange(2, 40)}.{rng.randrange(10)}% more than last year."
    if frame == 5:
        return f"Why didn't {name} bring the {adjective} {noun} to the meeting on {rng.randrange(1, 29)} May?"
    if frame == 6:
        start = rng.randrange(1, 20)
        return f"{name} and {other} will be away for {start}-{start + rng.randrange(2, 9)} days (from {rng.randrange(1, 13)}:{rng.choice(['00', '15', '30', '45'])})."
    return f"It's the {adjective} {noun}'s second year; {name} says it's worth every cent."


SUBSTITUTES = {
    "a": "the", "the": "a", "is": "was", "are": "were", "in": "at", "on": "in", "man": "guy",
    "woman": "lady", "small": "little", "big": "large", "children": "kids", "street": "road",
    "near": "close to", "said": "told", "new": "recent", "old": "ancient", "bought": "purchased",
}


def machine_hypothesis(sentence, rng):
    """A plausible imperfect translation: a few word-level edits, sometimes none."""
    words = sentence.split()
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        if len(words) < 3:
            break
        edit, i = rng.randrange(6), rng.randrange(len(words))
        if edit == 0:
            del words[i]
        elif edit == 1 and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        elif edit == 2:
            words[i] = SUBSTITUTES.get(words[i].lower(), rng.choice(["thing", "very", "it", "and", "person"]))
        elif edit == 3:
            words.insert(i, words[i])
        elif edit == 4:
            words = words[: max(3, len(words) - rng.randrange(1, 4))]
        else:
            words[i] = words[i].lower() if words[i][0].isupper() else words[i].capitalize()
    return " ".join(words)


def realistic_case():
    rng = random.Random(2016)
    references = HANDWRITTEN + [grammar_sentence(rng) for _ in range(200)]
    hypotheses = [machine_hypothesis(s, rng) for s in references]
    return hypotheses, references


# ---------------------------------------------------------------------------
# Running sacreBLEU
# ---------------------------------------------------------------------------

def scores(hypotheses, references, lowercase):
    """sacreBLEU's text line, JSON and exact score for BLEU and chrF (--width 1, as the CLI)."""
    result = {"lowercase": lowercase}
    for key, metric in (("bleu", BLEU(lowercase=lowercase)), ("chrf", CHRF(lowercase=lowercase))):
        score = metric.corpus_score(hypotheses, [references])
        signature = str(metric.get_signature())
        result[key] = {
            "line": score.format(width=1, signature=signature),
            "json": score.format(width=1, signature=signature, is_json=True),
            "score": repr(score.score),
        }
    return result


def sentence_lines(hypotheses, references):
    """Each pair scored as a corpus of one: many more numbers to round than one corpus gives."""
    lines = []
    for hypothesis, reference in zip(hypotheses, references):
        pair = scores([hypothesis], [reference], lowercase=False)
        lines.append({"bleu": pair["bleu"]["line"], "chrf": pair["chrf"]["line"]})
    return lines


def case_fixture(name, hypotheses, references):
    tokenize = Tokenizer13a()
    return {
        "name": name,
        "hypotheses": hypotheses,
        "references": references,
        "tokenized_hypotheses": [tokenize(s) for s in hypotheses],
        "tokenized_references": [tokenize(s) for s in references],
        "scores": [scores(hypotheses, references, lowercase) for lowercase in (False, True)],
        "sentence_lines": sentence_lines(hypotheses, references),
    }


def text_rules_fixture():
    samples = [s for pair in SMALL_CASES.values() for side in pair for s in side] + TOKENIZER_EXTRAS
    numbers = [0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 2.675, 0.125, 0.0625, 0.9995, 0.9745, 99.95,
               99.94999999999999, 100.0, 1e-7, 12.345, 85.44999999999999, 33.35]
    return {
        "tokenizer_extras": [{"text": s, "tokenized": Tokenizer13a()(s)} for s in TOKENIZER_EXTRAS],
        "python_strings": [
            {"text": s, "lower": s.lower(), "rstrip": s.rstrip(), "split": s.split()} for s in samples
        ],
        "fixed": [{"value": repr(x), "one": f"{x:.1f}", "three": f"{x:.3f}"} for x in numbers],
    }


# Files read by the sacrebleu command: Windows line endings, trailing spaces and tabs,
# a trailing no-break space, empty lines, and no final newline.
CLI_CASES = {
    "crlf_and_trailing_space": (
        "The cat sat on the mat.\r\nA dog runs in the park.  \r\n\r\nTwo men\u00a0talk.\u00a0\r\n",
        "The cat sat on the mat.\nA dog runs in a park.\t\n\nTwo men talk\n",
    ),
    "no_final_newline": (
        "„Gut“, sagte sie.\nCafé — 3.5% off\n1,000.50 &amp; more",
        "„Gut“, sagte er.\nCafe — 3.5 % off\n1,000.50 & more",
    ),
}


def cli_output(directory, lowercase, as_json):
    command = [sys.executable, "-m", "sacrebleu", "ref.txt", "-i", "hyp.txt", "-m", "bleu", "chrf", "-w", "1"]
    command += ["-f", "json" if as_json else "text"] + (["-lc", "--chrf-lowercase"] if lowercase else [])
    return subprocess.run(command, cwd=directory, check=True, capture_output=True, text=True).stdout


def write_cli_cases():
    for name, (hypothesis, reference) in CLI_CASES.items():
        folder = OUT / "cli" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "hyp.txt").write_bytes(hypothesis.encode("utf-8"))
        (folder / "ref.txt").write_bytes(reference.encode("utf-8"))
        for lowercase in (False, True):
            for as_json in (False, True):
                stem = ("lc" if lowercase else "mixed") + (".json" if as_json else ".txt")
                (folder / f"expected.{stem}").write_text(cli_output(folder, lowercase, as_json), encoding="utf-8")


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    assert sacrebleu.__version__ == VERSION, f"fixtures are for sacreBLEU {VERSION}, not {sacrebleu.__version__}"
    cases = dict(SMALL_CASES, realistic=realistic_case())
    for name, (hypotheses, references) in cases.items():
        write_json(OUT / "cases" / f"{name}.json", case_fixture(name, hypotheses, references))
    write_json(OUT / "text_rules.json", text_rules_fixture())
    write_cli_cases()
    print(f"wrote {len(cases)} cases, text rules and {len(CLI_CASES)} command-line cases to {OUT}")


if __name__ == "__main__":
    main()
