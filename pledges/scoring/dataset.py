"""Generated scoring (chấm điểm, xếp hạng) for ``manage.py generate_dataset``, run by ``pledges.dataset``
once the pledges exist. Only the pledges app's tables are written (scoring lives in it), in bulk with their
history rows, as ``blocs.dataset`` plans; the scores are written in chunks so that a national dataset never
holds them all in memory.

Which bloc-years: scoring in the portal is recent. Three blocs in four (SHARE) took it up in one of the
data's last four years (ADOPTION_YEARS) and score every year since, about a fifth of all bloc-years; the
biggest bloc of each council (the bench's) took it up first, so it has finalised years and an open one.
The year before a bloc took it up, its paper ranking was sometimes entered directly
(``method="direct"``). The share is what keeps a national dataset quick to make: a sheet is about 40
score rows and as many history rows. A bloc keeps its table from year to year (each copied from the year
before): about 40 criteria in five groups — three of base points adding up to 100, bonus points, penalty
points — with its own review mode and tie rule.

Past years: scoring open, every member unit's sheet scored in full and reviewed, but now and then one left
submitted or in draft (not ranked, with the reason), and the ranking finalised before the year-end
conference (``Dataset.conference_date``) — a few of last year's reopened by the officer. The rows are ranked
by ``selectors.rank_rows``, as ``selectors.ranking_compute`` ranks them from the database (the dataset
tests compare the two). This year: a few tables still being prepared (no sheets), the others open with
sheets in draft (empty or partly scored), submitted (some partly reviewed), returned with a reason and
reviewed; no ranking yet.

Points are multiples of 0,25, as tables hand them out; a review score that differs from the unit's own
carries a reason. Reviewers follow the review mode (``docs/domain.md``, "Scoring and ranking").
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from django.db.models import Count
from django.urls import reverse

from blocs.dataset import BenchActors, BenchDocument, BenchPage, Dataset, bench_getter, bulk_with_history, nfc
from blocs.models import Bloc, Membership, Unit, User

from ..models import Pledge
from .models import (
    Criterion,
    Ranking,
    RankingEntry,
    ReviewerAssignment,
    Score,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)
from .selectors import RankingRow, rank_rows

BASE, BONUS, PENALTY = Criterion.Kind.BASE, Criterion.Kind.BONUS, Criterion.Kind.PENALTY
State = ScoreSheet.State
Mode = ScoringTable.ReviewMode
TIE = ScoringTable.TieRule
# Scores go to the database this many at a time (with as many history rows).
SCORE_CHUNK = 20000
SHARE = 0.75  # of the blocs score in the portal
ADOPTION_YEARS = 4  # they took it up in one of the data's last four years

# ═══ The table (invented: shaped on the tables provincial blocs publish with their year's guidance) ════


@dataclass(frozen=True)
class Line:
    text: str
    maximum: int  # points
    guide: str = ""
    optional: bool = False  # left out of some blocs' tables


@dataclass(frozen=True)
class Group:
    name: str
    maximum: int
    kind: str
    lines: tuple[Line, ...]


GROUPS = (
    Group("I. Thực hiện nhiệm vụ chính trị, chuyên môn được giao", 50, BASE, (
        Line("Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm của năm được cấp có thẩm quyền giao", 10,
             "Hoàn thành 100% chỉ tiêu: 10 điểm; mỗi chỉ tiêu không hoàn thành trừ 1 điểm. Minh chứng: báo cáo "
             "tổng kết năm."),
        Line("Xây dựng và ban hành kế hoạch công tác năm đúng thời hạn", 4),
        Line("Tiến độ và chất lượng thực hiện các nhiệm vụ chuyên môn thường xuyên", 6),
        Line("Tham mưu, đề xuất cơ chế, chính sách thuộc lĩnh vực phụ trách", 4),
        Line("Thực hiện cải cách hành chính, giải quyết thủ tục hành chính đúng hạn", 5,
             "Căn cứ tỷ lệ hồ sơ giải quyết đúng hạn trên Cổng dịch vụ công."),
        Line("Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của đơn vị", 4),
        Line("Thực hiện chế độ thông tin, báo cáo định kỳ và đột xuất", 3),
        Line("Quản lý, sử dụng ngân sách, tài sản công đúng quy định, tiết kiệm", 4),
        Line("Công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo", 3),
        Line("Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng, tiêu cực", 3),
        Line("Thực hiện quy chế dân chủ ở cơ sở", 2),
        Line("Phối hợp với các đơn vị trong Khối thực hiện nhiệm vụ chung", 2),
    )),
    Group("II. Công tác xây dựng Đảng, xây dựng cơ quan và đoàn thể", 20, BASE, (
        Line("Tổ chức học tập, quán triệt nghị quyết, chỉ thị của Đảng", 3),
        Line("Kết quả đánh giá, xếp loại tổ chức đảng trong năm", 4,
             "Hoàn thành xuất sắc nhiệm vụ: 4 điểm; hoàn thành tốt: 3 điểm; hoàn thành: 1 điểm."),
        Line("Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức", 3),
        Line("Hoạt động của công đoàn, đoàn thanh niên, hội cựu chiến binh cơ quan", 3),
        Line("Xây dựng cơ quan, đơn vị văn hóa; thực hiện văn hóa công sở", 2),
        Line("Công tác đào tạo, bồi dưỡng cán bộ", 2),
        Line("Bảo đảm an ninh, trật tự, an toàn cơ quan; phòng cháy, chữa cháy", 2),
        Line("Chăm lo đời sống vật chất, tinh thần của cán bộ, người lao động", 1),
    )),
    Group("III. Thực hiện phong trào thi đua và công tác khen thưởng", 30, BASE, (
        Line("Ban hành kế hoạch, hướng dẫn tổ chức phong trào thi đua năm", 4),
        Line("Ký kết và thực hiện giao ước thi đua của Khối", 4),
        Line("Tổ chức các phong trào thi đua theo chuyên đề, theo đợt", 4),
        Line("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 4),
        Line("Sáng kiến, giải pháp được công nhận và áp dụng", 3,
             "Mỗi sáng kiến được Hội đồng sáng kiến cấp tỉnh công nhận: 1 điểm, tối đa 3 điểm."),
        Line("Tham gia đầy đủ hoạt động của Khối (hội nghị, kiểm tra chéo, sinh hoạt chuyên đề)", 4),
        Line("Xét, đề nghị khen thưởng đúng quy trình, thời hạn", 3),
        Line("Tuyên truyền, phổ biến gương người tốt, việc tốt", 2),
        Line("Sơ kết, tổng kết phong trào thi đua và báo cáo đúng hạn", 2),
    )),
    Group("IV. Điểm thưởng", 12, BONUS, (
        Line("Được cấp có thẩm quyền tặng cờ thi đua hoặc bằng khen trong năm", 3),
        Line("Có mô hình, cách làm hay được cấp tỉnh công nhận, nhân rộng", 2),
        Line("Hoàn thành vượt mức chỉ tiêu được giao", 2),
        Line("Tổ chức thành công sự kiện lớn do cấp trên giao", 2),
        Line("Đăng cai tổ chức hoạt động chung của Khối", 1),
        Line("Có đóng góp nổi bật cho công tác an sinh xã hội", 2, optional=True),
    )),
    Group("V. Điểm trừ", 15, PENALTY, (
        Line("Chậm nộp báo cáo, kế hoạch theo yêu cầu của Khối", 2, "Mỗi lần chậm trừ 0,5 điểm."),
        Line("Không tham gia hoạt động chung của Khối mà không có lý do", 2),
        Line("Có cán bộ, công chức bị xử lý kỷ luật từ khiển trách trở lên", 5),
        Line("Để xảy ra đơn thư khiếu nại vượt cấp, kéo dài", 3, optional=True),
        Line("Bị cơ quan có thẩm quyền phê bình, nhắc nhở bằng văn bản", 3),
    )),
)  # fmt: skip

REVIEW_REASONS = (
    "Minh chứng chưa đầy đủ.",
    "Theo báo cáo tổng kết, một chỉ tiêu chưa hoàn thành.",
    "Nộp báo cáo chậm so với thời hạn của Khối.",
    "Không có văn bản công nhận kèm theo.",
)
RETURN_REASONS = (
    "Thiếu minh chứng cho điểm thưởng; đề nghị bổ sung.",
    "Đề nghị rà soát lại điểm tự chấm nhóm III theo hướng dẫn chấm.",
    "Chưa ghi điểm trừ do chậm nộp báo cáo quý III.",
)
REOPEN_REASON = "Đơn vị đề nghị xem xét lại điểm thẩm định; mở lại để rà soát."
DIRECT_NOTE = "Kết quả chấm điểm lưu trên giấy, nhập lại trên cổng."


@dataclass
class ScoredYear:
    """A bloc-year with a table in the plan, and the rows written for it."""

    bloc: Bloc
    year: int
    members: list[Unit]
    review_mode: str
    tie_rule: str
    layout: tuple[tuple[Group, tuple[Line, ...]], ...]
    state: str = ScoringTable.State.OPEN
    finalised: bool = False  # a past year: its ranking is finalised
    biggest: bool = False  # the council's biggest bloc (the bench's): its ranking is never reopened
    table: ScoringTable | None = None
    criteria: list[Criterion] = field(default_factory=list)
    sheets: list[ScoreSheet] = field(default_factory=list)


@cache
def points(quarters: int) -> Decimal:
    """Quarter points as the Decimal the column stores (2 decimals)."""
    return (Decimal(quarters) / 4).quantize(Decimal("0.01"))


# ═══ Generating ════════════════════════════════════════════════════════════════════════════════════════


def dataset_generate(*, dataset: Dataset, pledges: Mapping[tuple[int, int], Pledge]) -> None:
    rng = dataset.rng("scoring")
    years, directs = scoring_plan(dataset, rng)
    tables_create(dataset, years, pledges)
    criteria_create(dataset, years)
    sheets_create(dataset, rng, years)
    sums = scores_create(dataset, rng, years)
    memberships = {
        (bloc, unit): (first, last)
        for bloc, unit, first, last in Membership.objects.filter(bloc__in=dataset.blocs).values_list(
            "bloc_id", "unit_id", "first_year", "last_year"
        )
    }
    rankings_create(dataset, rng, years, directs, sums, memberships)


def _biggest_blocs(dataset: Dataset) -> set[int]:
    """Each council's bloc with the most members this year (the first of equals), as the bench picks it."""
    best: dict[int, Bloc] = {}
    for bloc in dataset.blocs:
        size = len(dataset.members[bloc.pk, dataset.last_year])
        other = best.get(bloc.council_id)
        if other is None or size > len(dataset.members[other.pk, dataset.last_year]):
            best[bloc.council_id] = bloc
    return {bloc.pk for bloc in best.values()}


def _layout(rng: random.Random) -> tuple[tuple[Group, tuple[Line, ...]], ...]:
    return tuple(
        (group, tuple(line for line in group.lines if not line.optional or rng.random() < 0.6)) for group in GROUPS
    )


def scoring_plan(dataset: Dataset, rng: random.Random) -> tuple[list[ScoredYear], list[tuple[Bloc, int]]]:
    """The bloc-years with a table (in year order, so that a table's predecessor is written first) and
    those whose ranking was entered directly."""
    biggest = _biggest_blocs(dataset)
    years: list[ScoredYear] = []
    directs: list[tuple[Bloc, int]] = []
    first, last = dataset.first_year, dataset.last_year
    for bloc in dataset.blocs:
        always = bloc.pk in biggest
        if not always and rng.random() >= SHARE:
            continue
        earliest = max(first, last - ADOPTION_YEARS + 1)
        start = earliest if always else rng.randint(earliest, last)
        mode = rng.choices([Mode.CHAIR, Mode.CROSS, Mode.BOARD], weights=[6, 3, 1])[0]
        tie = rng.choices(TIE.values, weights=[4, 3, 2, 1])[0]
        layout = _layout(rng)
        for year in range(start, last + 1):
            state = ScoringTable.State.OPEN
            if year == last and not always and rng.random() < 0.15:
                state = ScoringTable.State.PREPARING
            years.append(
                ScoredYear(
                    bloc=bloc,
                    year=year,
                    members=dataset.members[bloc.pk, year],
                    review_mode=mode,
                    tie_rule=tie,
                    layout=layout,
                    state=state,
                    finalised=year < last,
                    biggest=always,
                )
            )
        # Entered directly only after the data's first year: a first year's direct entry would mark every
        # unit as joined during the year (the whole bloc starts then).
        if start - 1 > first and rng.random() < 0.5:
            directs.append((bloc, start - 1))
    years.sort(key=lambda planned: planned.year)
    return years, directs


def _chair_user(dataset: Dataset, bloc: Bloc, year: int) -> User | None:
    return dataset.unit_users.get(dataset.seats[bloc.pk, year][0].pk)


def tables_create(dataset: Dataset, years: list[ScoredYear], pledges: Mapping[tuple[int, int], Pledge]) -> None:
    """The tables, a year at a time: each copied from the bloc's table of the year before."""
    written: dict[tuple[int, int], ScoringTable] = {}
    for year in dataset.year_range:
        rows = []
        for planned in (p for p in years if p.year == year):
            bloc = planned.bloc
            chair = _chair_user(dataset, bloc, year)
            opened = planned.state == ScoringTable.State.OPEN
            planned.table = ScoringTable(
                bloc=bloc,
                year=year,
                pledge=pledges.get((bloc.pk, year)),
                copied_from=written.get((bloc.pk, year - 1)),
                state=planned.state,
                review_mode=planned.review_mode,
                tie_rule=planned.tie_rule,
                created_by=chair,
                created_at=dataset.aware(date(year, 9, 15)),
                opened_by=chair if opened else None,
                opened_at=dataset.aware(date(year, 11, 2)) if opened else None,
            )
            rows.append(planned.table)
        for table in bulk_with_history(dataset, ScoringTable, rows):
            written[table.bloc_id, table.year] = table


def criteria_create(dataset: Dataset, years: list[ScoredYear]) -> None:
    groups = [
        ScoringGroup(table=planned.table, position=position, name=nfc(group.name), maximum=Decimal(group.maximum))
        for planned in years
        for position, (group, _lines) in enumerate(planned.layout, start=1)
    ]
    groups = bulk_with_history(dataset, ScoringGroup, groups)
    criteria, owners = [], []
    written = iter(groups)
    for planned in years:
        for group, lines in planned.layout:
            row = next(written)
            for position, line in enumerate(lines, start=1):
                criteria.append(
                    Criterion(
                        group=row,
                        position=position,
                        text=nfc(line.text),
                        maximum=Decimal(line.maximum),
                        kind=group.kind,
                        guide=nfc(line.guide),
                    )
                )
                owners.append(planned)
    for criterion, planned in zip(bulk_with_history(dataset, Criterion, criteria), owners, strict=True):
        planned.criteria.append(criterion)


def _reviewers(dataset: Dataset, planned: ScoredYear) -> dict[int, User | None]:
    """Who reviews each member's sheet (unit id → user), as the review mode says."""
    bloc, year, members = planned.bloc, planned.year, planned.members
    if planned.review_mode == Mode.BOARD:
        officer = dataset.officers.get(bloc.council_id)
        return {unit.pk: officer for unit in members}
    if planned.review_mode == Mode.CROSS:
        # review_assignment_propose: each unit reviews the next in protocol order, the last the first.
        return {members[(i + 1) % len(members)].pk: dataset.unit_users.get(unit.pk) for i, unit in enumerate(members)}
    seats = dataset.seats[bloc.pk, year]
    chair, vice = dataset.unit_users.get(seats[0].pk), dataset.unit_users.get(seats[1].pk)
    return {unit.pk: vice if unit.pk == seats[0].pk else chair for unit in members}


def _sheet_state(rng: random.Random, planned: ScoredYear) -> str:
    if planned.finalised:
        return rng.choices([State.REVIEWED, State.SUBMITTED, State.DRAFT], weights=[97, 2, 1])[0]
    return rng.choices([State.DRAFT, State.SUBMITTED, State.RETURNED, State.REVIEWED], weights=[25, 30, 8, 37])[0]


def sheets_create(dataset: Dataset, rng: random.Random, years: list[ScoredYear]) -> None:
    """Every member's sheet of an open table, in its state, and the cross-review assignments."""
    sheets, owners, assignments = [], [], []
    for planned in years:
        if planned.state != ScoringTable.State.OPEN:
            continue
        reviewers = _reviewers(dataset, planned)
        members = planned.members
        if planned.review_mode == Mode.CROSS:
            assignments += [
                ReviewerAssignment(table=planned.table, reviewer=unit, reviewed=members[(i + 1) % len(members)])
                for i, unit in enumerate(members)
            ]
        for unit in members:
            state = _sheet_state(rng, planned)
            day = date(planned.year, 12, rng.randint(1, 15))
            submitted = state != State.DRAFT
            reviewed = state == State.REVIEWED
            sheets.append(
                ScoreSheet(
                    table=planned.table,
                    unit=unit,
                    state=state,
                    return_reason=nfc(rng.choice(RETURN_REASONS)) if state == State.RETURNED else "",
                    submitted_by=dataset.unit_users.get(unit.pk) if submitted else None,
                    submitted_at=dataset.aware(day, 10) if submitted else None,
                    reviewed_by=reviewers[unit.pk] if reviewed else None,
                    reviewed_at=dataset.aware(day + timedelta(days=rng.randint(2, 10)), 15) if reviewed else None,
                )
            )
            owners.append(planned)
    for sheet, planned in zip(bulk_with_history(dataset, ScoreSheet, sheets), owners, strict=True):
        planned.sheets.append(sheet)
    bulk_with_history(dataset, ReviewerAssignment, assignments)


# Scores -------------------------------------------------------------------------------------------------

# (own, review) quarter points of a sheet by criterion kind: what the ranking adds up.
Sums = dict[str, tuple[int, int]]


def _counts(rng: random.Random, state: str, criteria: int) -> tuple[int, int]:
    """How many criteria (in table order) have the unit's own points and how many the review's."""
    if state == State.DRAFT:
        return (0 if rng.random() < 0.3 else rng.randint(1, criteria)), 0
    if state == State.REVIEWED:
        return criteria, criteria
    if state == State.SUBMITTED and rng.random() < 1 / 3:
        return criteria, rng.randint(1, criteria - 1)  # the reviewer saved part of the review
    return criteria, 0  # submitted, or returned (its review cleared)


def _own(rng: random.Random, kind: str, top: int, strength: float) -> int:
    """The unit's own quarter points for a criterion of ``top`` quarters."""
    if kind == BASE:
        return max(0, min(top, round(top * (strength + rng.gauss(0, 0.08)))))
    if kind == BONUS:
        return rng.randint(1, top) if rng.random() < 0.35 else 0
    return -rng.randint(1, top // 2) if rng.random() < 0.12 else 0


def _review(rng: random.Random, kind: str, top: int, own: int) -> int:
    """The review's quarter points: mostly the unit's own, now and then less (or a penalty it left out)."""
    if rng.random() >= 0.08:
        return own
    if kind == PENALTY:
        return max(-top, own - rng.randint(1, 4))
    return max(0, own - rng.randint(1, max(1, top // 4)))


def _sheet_scores(rng: random.Random, sheet: ScoreSheet, criteria: list[Criterion], strength: float) -> Iterator[Score]:
    own_count, review_count = _counts(rng, sheet.state, len(criteria))
    for index, criterion in enumerate(criteria[:own_count]):
        top = int(criterion.maximum * 4)
        own = _own(rng, criterion.kind, top, strength)
        review = _review(rng, criterion.kind, top, own) if index < review_count else None
        yield Score(
            sheet_id=sheet.pk,
            criterion_id=criterion.pk,
            self_points=points(own),
            note=f"Theo báo cáo tổng kết năm {sheet.table.year}." if rng.random() < 0.1 else "",
            review_points=None if review is None else points(review),
            review_reason=nfc(rng.choice(REVIEW_REASONS)) if review is not None and review != own else "",
        )


def _sums(scores: list[Score], kinds: Mapping[int, str], into: dict[int, Sums]) -> None:
    for score in scores:
        assert score.self_points is not None
        by_kind = into.setdefault(score.sheet_id, {})
        own, review = by_kind.get(kinds[score.criterion_id], (0, 0))
        own += int(score.self_points * 4)
        review += int(score.review_points * 4) if score.review_points is not None else 0
        by_kind[kinds[score.criterion_id]] = (own, review)


def scores_create(dataset: Dataset, rng: random.Random, years: list[ScoredYear]) -> dict[int, Sums]:
    """Every sheet's scores as its state has them, written SCORE_CHUNK at a time; returns each sheet's sums
    by criterion kind (what the ranking needs)."""
    strengths: dict[int, float] = {}  # a unit scores about as well from year to year
    sums: dict[int, Sums] = {}
    pending: list[Score] = []
    kinds: dict[int, str] = {}
    for planned in years:
        kinds.update((criterion.pk, criterion.kind) for criterion in planned.criteria)
        for sheet in planned.sheets:
            strength = strengths.setdefault(sheet.unit_id, rng.uniform(0.78, 0.97))
            pending.extend(_sheet_scores(rng, sheet, planned.criteria, strength))
            if len(pending) >= SCORE_CHUNK:
                _sums(bulk_with_history(dataset, Score, pending), kinds, sums)
                pending = []
    _sums(bulk_with_history(dataset, Score, pending), kinds, sums)
    return sums


# Rankings -----------------------------------------------------------------------------------------------

NOT_RANKED: dict[str, str] = {
    State.DRAFT: RankingEntry.NotRanked.DRAFT,
    State.RETURNED: RankingEntry.NotRanked.RETURNED,
    State.SUBMITTED: RankingEntry.NotRanked.NOT_REVIEWED,
}


def ranking_rows(
    planned: ScoredYear, sums: Mapping[int, Sums], memberships: Mapping[tuple[int, int], tuple[int, int | None]]
) -> list[RankingRow]:
    """The bloc-year's rows as ``selectors.ranking_compute`` makes them from the database."""
    year = planned.year
    sheets = {sheet.unit_id: sheet for sheet in planned.sheets}
    spans = [memberships[planned.bloc.pk, unit.pk] for unit in planned.members]
    bloc_starts = min((first for first, _last in spans), default=year)
    rankable: list[RankingRow] = []
    others: list[RankingRow] = []
    for position, (unit, (first, last)) in enumerate(zip(planned.members, spans, strict=True), start=1):
        row = RankingRow(unit=unit, position=position, joined_during_year=first == year > bloc_starts)
        sheet = sheets.get(unit.pk)
        if sheet is not None:
            by_kind = sums.get(sheet.pk, {})
            row.self_total = points(sum(own for own, _review in by_kind.values()))
            if sheet.state == State.REVIEWED:
                row.review_total = row.final_score = points(sum(review for _own, review in by_kind.values()))
                row.base_points = points(by_kind.get(BASE, (0, 0))[1])
                row.penalty_points = points(by_kind.get(PENALTY, (0, 0))[1])
        if last == year and (unit.successor_id is not None or not unit.active):
            row.not_ranked = RankingEntry.NotRanked.LEFT
        elif sheet is None:
            row.not_ranked = RankingEntry.NotRanked.NO_SHEET
        elif sheet.state != State.REVIEWED:
            row.not_ranked = NOT_RANKED[sheet.state]
        (others if row.not_ranked else rankable).append(row)
    return rank_rows(rankable, planned.tie_rule) + others


def direct_rows(rng: random.Random, members: list[Unit], year: int, firsts: Mapping[int, int]) -> list[RankingRow]:
    """A paper ranking entered directly: every member ranked, with its score where the paper gave one, as
    ``services.ranking_enter_directly`` stores it."""
    scored = rng.random() < 0.7
    finals = sorted((rng.randint(320, 400) for _ in members), reverse=True)
    order = rng.sample(range(len(members)), len(members))
    rows = []
    for place, index in enumerate(order):
        unit = members[index]
        rows.append(
            RankingRow(
                unit=unit,
                position=index + 1,
                final_score=points(finals[place]) if scored else None,
                rank=place + 1,
                joined_during_year=firsts[unit.pk] == year,
            )
        )
    for row, following in zip(rows, rows[1:], strict=False):
        if row.final_score is not None and following.final_score is not None:
            row.gap_to_next = row.final_score - following.final_score
    return rows


def rankings_create(
    dataset: Dataset,
    rng: random.Random,
    years: list[ScoredYear],
    directs: list[tuple[Bloc, int]],
    sums: Mapping[int, Sums],
    memberships: Mapping[tuple[int, int], tuple[int, int | None]],
) -> None:
    """Past years' rankings, finalised before the conference (a few of last year's reopened), and the
    rankings entered directly, with their entries."""
    plans: list[tuple[Ranking, list[RankingRow]]] = []
    for planned in (p for p in years if p.finalised):
        ranking = _ranking(dataset, planned.bloc, planned.year, Ranking.Method.COMPUTED, planned.tie_rule)
        if planned.year == dataset.last_year - 1 and not planned.biggest and rng.random() < 0.04:
            ranking.state = Ranking.State.REOPENED
            ranking.reopen_reason = REOPEN_REASON
            ranking.reopened_by = dataset.officers.get(planned.bloc.council_id)
            ranking.reopened_at = ranking.finalised_at + timedelta(days=3)
        plans.append((ranking, ranking_rows(planned, sums, memberships)))
    firsts: dict[int, dict[int, int]] = {}  # bloc id → unit id → first year of its membership
    for (bloc_id, unit_id), (first, _last) in memberships.items():
        firsts.setdefault(bloc_id, {})[unit_id] = first
    for bloc, year in directs:
        ranking = _ranking(dataset, bloc, year, Ranking.Method.DIRECT, "")
        ranking.note = DIRECT_NOTE
        ranking.finalised_by = dataset.officers.get(bloc.council_id)
        plans.append((ranking, direct_rows(rng, dataset.members[bloc.pk, year], year, firsts[bloc.pk])))
    rankings = bulk_with_history(dataset, Ranking, [ranking for ranking, _rows in plans])
    entries = [
        RankingEntry(
            ranking=ranking,
            unit=row.unit,
            position=position,
            unit_name=row.unit.name,
            rank=row.rank,
            self_total=row.self_total,
            review_total=row.review_total,
            final_score=row.final_score,
            gap_to_next=row.gap_to_next,
            joined_during_year=row.joined_during_year,
            not_ranked=row.not_ranked,
        )
        for ranking, (_unsaved, rows) in zip(rankings, plans, strict=True)
        for position, row in enumerate(rows, start=1)
    ]
    bulk_with_history(dataset, RankingEntry, entries)


def _ranking(dataset: Dataset, bloc: Bloc, year: int, method: str, tie_rule: str) -> Ranking:
    day = dataset.conference_date(bloc, year) - timedelta(days=2)
    return Ranking(
        bloc=bloc,
        year=year,
        method=method,
        tie_rule=tie_rule,
        finalised_by=_chair_user(dataset, bloc, year),
        finalised_at=dataset.aware(day, 16),
    )


# ═══ Bench ═════════════════════════════════════════════════════════════════════════════════════════════


def bench_pages(*, actors: BenchActors) -> list[BenchPage]:
    """The bench bloc's scoring page and live ranking this year, last year's final ranking, and the plain
    member's sheet of this year as its own unit and as the chair see it."""
    bloc, year = actors.bloc, actors.year
    pages = [
        BenchPage("scoring page", reverse("scoring:scoring_detail", args=[bloc.pk, year])),
        BenchPage("ranking page (final)", reverse("scoring:ranking_detail", args=[bloc.pk, year - 1])),
        BenchPage("ranking page (live)", reverse("scoring:ranking_detail", args=[bloc.pk, year]), ("officer", "chair")),
    ]
    sheet = ScoreSheet.objects.filter(table__bloc=bloc, table__year=year, unit=actors.unit).first()
    if sheet is not None:
        url = reverse("scoring:sheet_detail", args=[sheet.pk])
        pages.append(BenchPage(f"score sheet ({sheet.state})", url, ("member", "chair")))
    return pages


def bench_documents(*, actors: BenchActors) -> list[BenchDocument]:
    """Last year's final ranking of the bench bloc as PDF and Excel, and its table as Excel, as the
    officer downloads them."""
    from django.test import Client

    bloc, year = actors.bloc, actors.year - 1
    ranking = Ranking.objects.filter(bloc=bloc, year=year, state=Ranking.State.FINAL).annotate(n=Count("entries"))
    table = ScoringTable.objects.filter(bloc=bloc, year=year).annotate(n=Count("groups__criteria")).first()
    found = ranking.first()
    if found is None or table is None:
        return []
    client = Client()
    client.force_login(actors.users["officer"])
    units = found.n  # type: ignore[attr-defined]  # the annotation
    return [
        BenchDocument(
            f"ranking PDF ({units} units)", bench_getter(client, reverse("scoring:ranking_pdf", args=[bloc.pk, year]))
        ),
        BenchDocument(
            f"ranking Excel ({units} units)",
            bench_getter(client, reverse("scoring:ranking_xlsx", args=[bloc.pk, year])),
        ),
        BenchDocument(
            f"scoring table Excel ({table.n} criteria)",  # type: ignore[attr-defined]  # the annotation
            bench_getter(client, reverse("scoring:table_xlsx", args=[table.pk])),
        ),
    ]
