"""Rule templates: each appends one partition of rules, each rule with the case that reaches it."""

from __future__ import annotations

from collections.abc import Callable

from grouping.synthetic.model import CHILD, MDCS, OLD, Draft, Numbers, Witness, case, sex_for


class Partitions:
    """Rule templates: each method appends one partition's rules with their witnesses."""

    def __init__(self, s: Draft, numbers: Numbers, activations: int) -> None:
        self.s, self.n = s, numbers
        self.activations = max(1, activations)  # activated categories in all (a real set has few)
        self.act: list[tuple[str, str]] = []
        self.plain: dict[str, str] = {}  # MDC -> a pdx code whose category no rule names
        self.compl: dict[tuple[str, str], str] = {}  # (MDC, letter) -> secondary code with that COMPL kind

    def plain_pdx(self, mdc: str) -> str:
        if mdc not in self.plain:
            self.plain[mdc] = self.s.dcode(f"{mdc}M50")
        return self.plain[mdc]

    def compl_sdx(self, mdc: str, letter: str) -> str:
        """A secondary code of an MDC-independent category of kind C/G (active) for complication splits."""
        if (mdc, letter) not in self.compl:
            cat = self.n.take(mdc, letter)
            self.s.complcat.append((cat, ""))
            self.compl[(mdc, letter)] = self.s.dcode(f"{mdc}M50", ("COMPL", cat))
        return self.compl[(mdc, letter)]

    def activated(self, m: str) -> tuple[str, str]:
        """An inactive (I) category and the diagnosis property that activates it; shared once
        `activations` exist, so the activation rows stay at the real count."""
        if len(self.act) < self.activations:
            pair = (self.n.take(m, "I"), self.n.take(m, "X"))
            self.s.complcat += [(pair[0], ""), pair]
            self.act.append(pair)
            return pair
        return self.act[len(self.s.rules) % len(self.act)]

    def surgical(self, m: str) -> None:
        s, sex = self.s, sex_for(m)
        prop, second = self.n.take(m, "S"), self.n.take(m, "T")
        nn = prop[3:]
        p1, p2, p0 = (
            s.pcode(("PROCPR", prop), ("OR", "1")),
            s.pcode(("PROCPR", prop), ("OR", "2")),
            s.pcode(("PROCPR", prop)),
        )
        pt, px = s.pcode(("PROCPR", second), ("OR", "1")), s.pcode(("OR", "1"))
        x, y = self.n.take(m, "X"), self.n.take(m, "X")
        with_x = s.dcode(f"{m}M50", ("DGPROP", x))
        pdx = self.plain_pdx(m)
        b, g = f"1{m}", f"4{m}"
        d = f"Z{m}S{nn}"
        common = {"icd": "+", "mdc": m, "procpro1": prop}
        s.rule(
            b,
            d + "O",
            m,
            case(pdx, [], [p1], sex=sex, los_days=1),
            "surgical short stay",
            disch="N",
            dur="<2",
            **common,
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [], [p1, pt], sex=sex),
            "with secondary procedure",
            **common,
            secproc1=second,
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [self.compl_sdx(m, "C")], [p1, px], sex=sex),
            "complication, adult",
            **common,
            compl="1",
            agelim=">6574",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [], [p1, px], sex=sex, age_days=CHILD),
            "child",
            **common,
            agelim="<6575",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [with_x], [p1, px], sex=sex),
            "diagnosis property, not the other",
            **common,
            dgprop1=x,
            dgprop2=f"-{y}",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "B",
            m,
            case(pdx, [], [p1], sex=sex),
            "no other major OR procedure",
            **common,
            secproc1="-",
            **{"or": "S"},
        )
        s.rule(g, d + "B", m, case(pdx, [], [p1, px], sex=sex), "major OR", **common, **{"or": "S"})
        s.rule(g, d + "B", m, case(pdx, [], [p2], sex=sex), "minor OR", **common, **{"or": "P"})
        s.rule(g, d + "B", m, case(pdx, [], [p0], sex=sex), "procedure without OR flag", **common)

    def medical(self, m: str) -> None:
        s, sex = self.s, sex_for(m)
        prop = self.n.take(m, "P")
        nn = prop[3:]
        pdx = s.dcode(f"{m}M50", ("PDGPRO", prop))
        x, y = self.n.take(m, "X"), self.n.take(m, "X")
        with_x = s.dcode(f"{m}M50", ("DGPROP", x))
        b, g = f"1{m}", f"4{m}"
        d = f"Z{m}M{nn}"
        common = {"icd": "+", "mdc": m, "pdgprop": prop, "or": "N"}
        s.rule(b, d + "O", m, case(pdx, sex=sex, los_days=1), "medical short stay", disch="N", dur="<2", **common)
        s.rule(g, d + "A", m, case(pdx, sex=sex, discharge="E"), "died", disch="E", **common)
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [self.compl_sdx(m, "C")], sex=sex, los_days=10),
            "complication, long stay",
            compl="1",
            dur=">7",
            **common,
        )
        s.rule(g, d + "A", m, case(pdx, sex=sex, age_days=OLD), "over 60", agelim=">21915", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, discharge="R"), "transferred", disch="R", **common)
        if m not in ("12", "13", "14"):
            s.rule(g, d + "B", m, case(pdx, sex=2), "female", sex="F", **common)
        s.rule(g, d + "B", m, case(pdx, [with_x], sex=sex), "diagnosis property", dgprop1=x, dgprop2=f"-{y}", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex), "medical", **common)

    def category(self, m: str) -> None:
        s, sex = self.s, sex_for(m)
        cat = self.n.take(m, "M")
        nn = cat[3:]
        pdx = s.dcode(cat)
        addon = s.dcode(None)  # a pair row (addon + pdx) gives the same category
        s.dg += [(addon, pdx, "DGCAT", cat), (addon, pdx, "MDC", m)]
        level2 = self.compl_sdx(m, "G")
        inactive, activator = self.activated(m)
        i_sdx, act_sdx = s.dcode(f"{m}M50", ("COMPL", inactive)), s.dcode(f"{m}M50", ("DGPROP", activator))
        excluded_cat = self.n.take(m, "C")
        excluded = s.dcode(f"{m}M50", ("COMPL", excluded_cat))
        s.complcat.append((excluded_cat, ""))
        s.complexcl.append((excluded_cat, pdx, ""))
        b, g = f"4{m}", f"4{m}"
        d = f"Z{m}K{nn}"
        common = {"icd": "+", "mdc": m, "dgcat1": cat}
        s.rule(b, d + "A", m, case(pdx, [level2], sex=sex), "complication level 2", compl=">1", **common)
        s.rule(g, d + "A", m, case(pdx, [i_sdx, act_sdx], sex=sex), "activated complication", compl="1", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, los_days=40), "long stay", dur=">30", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, age_days=CHILD), "child", agelim="<6575", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex), "category", **common)
        last = s.rules[-1]["ord"]
        s.witnesses += [
            Witness(case(pdx, [excluded], sex=sex), last, "complication excluded by the pdx"),
            Witness(case(pdx, [i_sdx], sex=sex), last, "inactive complication not activated"),
            Witness(case((pdx, addon), sex=sex), last, "category from the pair row"),
        ]

    def errors(self, m: str) -> None:
        s, sex = self.s, sex_for(m)
        unrelated, warn = self.n.take(m, "P"), self.n.take(m, "X")
        pdx = s.dcode(f"{m}M50", ("PDGPRO", unrelated))
        px = s.pcode(("OR", "1"))
        with_w = s.dcode(f"{m}M50", ("DGPROP", warn))
        s.rule(
            f"4{m}",
            "468",
            "99",
            case(pdx, [], [px], sex=sex),
            "unrelated OR procedure",
            rtc="7",
            icd="+",
            mdc=m,
            pdgprop=unrelated,
            **{"or": "S"},
        )
        s.rule(
            f"4{m}",
            f"Z{m}W{unrelated[3:]}",
            m,
            case(pdx, [with_w], sex=sex),
            "warning group",
            rtc="A",
            icd="+",
            mdc=m,
            pdgprop=unrelated,
            dgprop1=warn,
        )

    def pre_mdc(self, k: int) -> None:
        """Pre-MDC rules without an MDC condition (they are scanned for every case)."""
        s = self.s
        m = MDCS[k % len(MDCS)]
        pdx, sex = self.plain_pdx(m), sex_for(m)
        kind = k % 4
        if kind == 0:  # age-bound principal diagnosis
            p = self.n.pre("P")
            code = s.dcode(f"{m}M50", ("PDGPRO", p))
            s.rule(
                "000", "470", "99", case(code, sex=sex, age_days=CHILD), "too young", rtc="4", pdgprop=p, agelim="<4018"
            )
            s.rule(
                "000", "470", "99", case(code, sex=sex, age_days=OLD), "too old", rtc="5", pdgprop=p, agelim=">21915"
            )
            x = self.n.pre("X")
            sdx = s.dcode(f"{m}M50", ("DGPROP", x))
            s.rule(
                "000", "470", "99", case(None, [sdx], sex=sex), "no principal diagnosis", rtc="1", icd="-", dgprop1=x
            )
        elif kind == 1:  # sex conflicts with a diagnosis property
            x = self.n.take("13", "X")
            code = s.dcode(f"{m}M50", ("DGPROP", x))
            s.rule("012", "470", "99", case(pdx, [code], sex=1), "sex conflict", rtc="3", dgprop1=x, sex="M")
            s.rule("012", "470", "99", case(pdx, [code], sex=0), "sex missing", rtc="2", dgprop1=x, sex="-")
        elif kind == 2:  # neonatal categories
            cat = self.n.take("15", "M")
            code = s.dcode(cat)
            d = f"Z15N{cat[3:]}"
            common = {"icd": "+", "mdc": "15", "dgcat1": cat}
            s.rule(
                "015",
                d + "A",
                "15",
                case(code, age_days=3, discharge="E"),
                "neonate died",
                disch="E",
                agelim="<29",
                **common,
            )
            s.rule("015", d + "B", "15", case(code, age_days=3), "first week", agelim="<8", **common)
            s.rule("015", d + "C", "15", case(code, age_days=20), "neonate", agelim="<29", **common)
        else:  # pre-MDC surgery and multiple trauma
            p, q = self.n.pre("S"), self.n.pre("S")
            pp, pq = s.pcode(("PROCPR", p), ("OR", "1")), s.pcode(("PROCPR", q))
            x1, x2, x3 = self.n.pre("X"), self.n.pre("X"), self.n.pre("X")
            c1, c2 = s.dcode(f"{m}M50", ("DGPROP", x1)), s.dcode(f"{m}M50", ("DGPROP", x2))
            d = f"Z00S{p[3:]}"
            s.rule(
                "400",
                d + "A",
                "00",
                case(pdx, [], [pp, pq], sex=sex),
                "transplant with second procedure",
                icd="+",
                procpro1=p,
                secproc1=q,
                **{"or": "S"},
            )
            s.rule("400", d + "B", "00", case(pdx, [], [pp], sex=sex), "transplant", icd="+", procpro1=p, **{"or": "S"})
            s.rule(
                "400",
                d + "C",
                "00",
                case(pdx, [c1, c2], sex=sex),
                "multiple trauma",
                icd="+",
                dgprop1=x1,
                dgprop2=x2,
                dgprop3=f"-{x3}",
            )


def templates(parts: Partitions) -> list[Callable[[], None]]:
    """Partitions in the order they are added: pre-MDC every fourth, then per MDC round robin."""
    out: list[Callable[[], None]] = []
    k = 0
    for r in range(60):
        for i, m in enumerate(MDCS):
            if (r * len(MDCS) + i) % 4 == 0:
                out.append(lambda k=k: parts.pre_mdc(k))
                k += 1
            kind = (r + i) % 3  # every round has each kind of partition
            out.append(
                (lambda m=m: parts.surgical(m))
                if kind == 0
                else (lambda m=m: parts.medical(m))
                if kind == 1
                else (lambda m=m: parts.category(m))
            )
            if r == 0:
                out.append(lambda m=m: parts.errors(m))
    return out
