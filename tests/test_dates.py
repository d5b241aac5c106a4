"""Date expressions resolved against the publication date, with their precision."""
from __future__ import annotations

from datetime import date

import pytest

import warledger

# (sentence, published, expression, date_start, date_end, precision)
CASES = [
    ("Shelling resumed on Thursday.", "2023-03-30", "on Thursday", "2023-03-30", "2023-03-30", "day"),  # a Thursday
    ("Shelling resumed on Wednesday.", "2023-03-30", "on Wednesday", "2023-03-29", "2023-03-29", "day"),
    ("The strike came late on Wednesday.", "2023-03-30", "late on Wednesday", "2023-03-29", "2023-03-29", "day"),
    ("The talks failed last Thursday.", "2023-03-30", "last Thursday", "2023-03-23", "2023-03-23", "day"),
    ("Mobilisation began last autumn.", "2023-03-30", "last autumn", "2022-09-01", "2022-11-30", "season"),
    ("Mobilisation began last autumn.", "2023-10-15", "last autumn", "2022-09-01", "2022-11-30", "season"),
    ("The blackouts of last winter.", "2023-03-30", "last winter", "2022-12-01", "2023-02-28", "season"),
    ("Attacks fell to 69 in the past seven days.", "2023-03-30", "in the past seven days", "2023-03-23", "2023-03-29", "week"),
    ("There were 124 in the week of March 1-7.", "2023-03-30", "the week of March 1-7", "2023-03-01", "2023-03-07", "week"),
    ("Fighting from 12-14 December 2022 was heavy.", "2023-03-30", "12-14 December 2022", "2022-12-12", "2022-12-14", "week"),
    ("The plant was captured a year ago.", "2023-03-30", "a year ago", "2022-03-30", "2022-03-30", "year"),
    ("The war was launched in February 2022.", "2023-03-30", "February 2022", "2022-02-01", "2022-02-28", "month"),
    ("The 13-month-long invasion goes on.", "2023-03-30", "13-month-long", "2022-02-28", "2023-03-30", "month"),
    ("Russia has fired missiles since February 2022.", "2023-06-10", "since February 2022", "2022-02-01", "2023-06-10", "year"),
    ("Two drones were downed yesterday.", "2024-01-05", "yesterday", "2024-01-04", "2024-01-04", "day"),
    ("The bridge was hit two days ago.", "2024-01-05", "two days ago", "2024-01-03", "2024-01-03", "day"),
    ("Attacks have declined since the beginning of March.", "2023-03-30", "since the beginning of March", "2023-03-01", "2023-03-30", "month"),
    ("Strikes rose in the past 24 hours.", "2023-03-30", "in the past 24 hours", "2023-03-29", "2023-03-30", "day"),
    ("Troops arrived on 29 March 2023.", "2023-06-01", "29 March 2023", "2023-03-29", "2023-03-29", "day"),
    ("An attack on March 29 was repelled.", "2024-01-10", "March 29", "2023-03-29", "2023-03-29", "day"),  # no year: the latest before publication
    # told against the story's day, not publication
    ("On 2 May 2020, families of inmates demonstrated outside the jail, saying that the previous day guards had shot 40 prisoners.", "2020-05-05",
     "the previous day", "2020-05-01", "2020-05-01", "day"),
    ("Troops entered Marte on 3 June 2021. Two days later they withdrew.", "2021-06-20", "Two days later",
     "2021-06-05", "2021-06-05", "day"),
    ("Rebels attacked the town. The following day, police arrived.", "2021-06-20", "The following day",
     "2021-06-21", "2021-06-21", "day"),
    ("On 9 June 2021, two men surrendered to the army. They had escaped an ambush a day before.", "2021-06-20",
     "a day before", "2021-06-08", "2021-06-08", "day"),
    ("Gunmen raided the village on 4 June 2021. Two days after, troops arrived.", "2021-06-20", "Two days after",
     "2021-06-06", "2021-06-06", "day"),
    # two calendar days bounding one span
    ("Sometime between October 27, 2018 and November 7, 2018, soldiers set the hamlet on fire.", "2018-11-12",
     "October 27, 2018 and November 7, 2018", "2018-10-27", "2018-11-07", "month"),
    ("From 28 April to 2 May, police held 40 people.", "2020-05-10", "28 April to 2 May", "2020-04-28", "2020-05-02", "week"),
    ("Kiev's forces violate ceasefire six times in one day.", "2015-03-01", "in one day", "2015-02-28", "2015-03-01", "day"),
]
# day counts that are no date of the story: 'two days before scheduled elections' is told against the vote
NOT_DATES = ["Gunmen attacked the town two days before scheduled elections.", "Police fired a day after disputed polls."]


@pytest.mark.parametrize("sentence,published,expression,start,end,precision", CASES,
                         ids=[f"{c[2]}@{c[1]}" for c in CASES])
def test_date(sentence, published, expression, start, end, precision):
    report = warledger.extract(sentence, published=published)
    found = [d for d in report.dates if d.text == expression]
    assert found, [(d.text, d.date_start) for d in report.dates]
    d = found[0]
    assert (d.date_start, d.date_end, d.precision) == (start, end, precision)
    assert sentence[d.span[0]:d.span[1]] == expression


def test_relative_dates_stay_unresolved_without_a_publication_date():
    report = warledger.extract("The strike came late on Wednesday, a year ago, last autumn.")
    assert report.dates == []


def test_absolute_dates_resolve_without_a_publication_date():
    report = warledger.extract("Troops arrived on 29 March 2023.")
    assert [(d.date_start, d.precision) for d in report.dates] == [("2023-03-29", "day")]


def test_published_accepts_date_or_string():
    assert warledger.extract("x", published=date(2023, 3, 30)).document.published == "2023-03-30"
    assert warledger.extract("x", published="2023-03-30").document.published == "2023-03-30"


def test_a_month_name_with_no_word_of_time_before_it_is_no_date():
    """'the program March to Dhaka' names a march; 'in March' is a time."""
    report = warledger.extract("Students took part in the program 'March to Dhaka', and some fought police.", published="2024-08-05")
    assert report.dates == [], [(d.text, d.date_start) for d in report.dates]
    report = warledger.extract("The offensive began in March and stalled.", published="2024-08-05")
    assert [(d.text, d.date_start) for d in report.dates] == [("March", "2024-03-01")]


def test_two_days_joined_by_and_alone_stay_two_days():
    """'on 3 May and 5 May' tells two days; only 'between ... and' makes them one span."""
    report = warledger.extract("Police detained protesters on 3 May and 5 May.", published="2020-05-10")
    assert [(d.text, d.date_start, d.date_end) for d in report.dates] == [
        ("3 May", "2020-05-03", "2020-05-03"), ("5 May", "2020-05-05", "2020-05-05")]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_day_counts_before_an_event_named_are_no_dates(sentence):
    report = warledger.extract(sentence, published="2021-06-20")
    assert not any("day" in d.text for d in report.dates), [(d.text, d.date_start) for d in report.dates]


def test_the_number_of_a_post_or_route_is_no_year():
    """'VFW Post No. 1922', 'Route 1812': a number after a label is a thing's number; 'in 1946' is a year."""
    report = warledger.extract("A member of VFW Post No. 1922 in Gainesville lives on Route 1812. The post was founded in 1946.")
    assert [d.text for d in report.dates] == ["1946"], [(d.text, d.date_start) for d in report.dates]
