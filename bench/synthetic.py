"""Seeded synthetic cases of any size, with realistic content, for measuring.

Every kind is present; text runs from a sentence to several paragraphs; items
carry 1-4 theme links, people and exhibit links; whens mix every precision.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import (
    ActionType,
    Channel,
    Communication,
    Delivery,
    Direction,
    Event,
    Exhibit,
    ExhibitForm,
    KeyMoment,
    Person,
    PostEventAction,
    Role,
    Target,
    ThemeLink,
    Threat,
    Witness,
)
from case_workbook.model.when import When
from case_workbook.store.build import build_case_with

WORDS = ("the car keys phone call parking lot sister told me he said tonight later "
         "police window door knife money owed drive street corner message voicemail "
         "screenshot family afraid waited left arrived friend neighbour house late "
         "morning evening across road van bag package hurt warned watched").split()
TZ = "America/Los_Angeles"
START = datetime(2026, 3, 1, 8, 0)


def sentence(rng: random.Random, low: int = 6, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraphs(rng: random.Random) -> str:
    count = rng.choice([0, 1, 1, 1, 2, 3, 5])
    return "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(1, 6)))
                       for _ in range(count))


def when(rng: random.Random) -> When:
    moment = START + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
    choice = rng.random()
    if choice < 0.45:
        return When.exact(moment, TZ)
    if choice < 0.6:
        return When.approximate(moment, rng.choice([15, 30, 60, 120]), TZ)
    if choice < 0.7:
        return When.day(moment.date(), TZ)
    if choice < 0.75:
        return When.month(moment.year, moment.month, TZ)
    if choice < 0.82:
        return When.between(moment, moment + timedelta(minutes=rng.randint(10, 600)), TZ)
    if choice < 0.87:
        return When.before(moment, TZ)
    if choice < 0.92:
        return When.after(moment, TZ)
    return When.unknown(TZ)


def build_synthetic(path: Path, items: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    framework = load_builtin("general")
    themes = [t.id for t in framework.themes]

    def fill(case) -> None:
        with case.transaction("build"):
            people = [case._insert(Person(name=f"Person {n}", role=rng.choice(list(Role)),
                                          contact=f"555-{n:04d}")).id
                      for n in range(max(5, items // 50))]
            exhibits = [case._insert(Exhibit(summary=sentence(rng, 3, 8),
                                             form=ExhibitForm.PHYSICAL,
                                             custody=sentence(rng))).id
                        for _ in range(max(3, items // 40))]
            for moment in KeyMoment:
                case._insert(Event(summary=f"Key moment: {moment.value}", key_moment=moment,
                                   when=When.approximate(START + timedelta(days=15), 30, TZ)))
            remaining = items - len(people) - len(exhibits) - len(KeyMoment)
            for n in range(max(remaining, 0)):
                case._insert(_item(rng, n, people, exhibits, themes))

    return build_case_with(path, CaseHeader(title=f"Synthetic case, {items} items"), framework,
                           CaseSettings(default_tz=TZ), fill, actor="bench")


def _item(rng, n, people, exhibits, themes):
    common = dict(summary=sentence(rng), details=paragraphs(rng),
                  themes=[ThemeLink(theme_id=t, note=rng.choice(["", sentence(rng, 3, 9)]))
                          for t in rng.sample(themes, rng.randint(1, 4))],
                  exhibits=rng.sample(exhibits, rng.choice([0, 0, 1, 2])),
                  people=rng.sample(people, rng.choice([0, 1])))
    kind = n % 10
    if kind < 4:
        return Communication(when=when(rng), channel=rng.choice(list(Channel)),
                             direction=rng.choice(list(Direction)),
                             sender=[rng.choice(people)], recipients=[rng.choice(people)],
                             content=paragraphs(rng) or sentence(rng), **common)
    if kind < 6:
        return Threat(when=when(rng), made_by=[rng.choice(people)],
                      against=[rng.choice(list(Target))], delivery=rng.choice(list(Delivery)),
                      harm_threatened=sentence(rng, 3, 8), demand=sentence(rng, 3, 8), **common)
    if kind < 7:
        return Witness(person=rng.choice(people), observed=sentence(rng), when=when(rng),
                       contacted=rng.choice([True, False, None]), **common)
    if kind < 9:
        return PostEventAction(action=rng.choice(list(ActionType)), when=when(rng),
                               with_whom=[rng.choice(people)], **common)
    return Event(when=when(rng), place=sentence(rng, 2, 4), **common)


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    build_synthetic(target, count)
    print(f"wrote {target} with {count} items")
