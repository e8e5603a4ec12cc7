#!/usr/bin/env python3
"""Generates a county's worth of import files for vledger benchmarks.

A county like Rongcheng: 778 villages, 286,000 residents in households of
two to four, a rule catalogue, and N point and fund events of a realistic
mix (awards 70 %, deductions 10 %, redemptions 12 %, donations 3 %,
disbursements 5 %). Writes into OUT_DIR:

  villages.txt        one "CODE NAME" per line (registered with `village add`)
  households.csv, residents.csv, rules.csv, awards.csv, deductions.csv,
  redemptions.csv, donations.csv, disbursements.csv   (SPEC section 9 columns)
  funds.txt           one "CODE VILLAGE" per line (opened with `fund open`)
  journal.ledger      the same point and money movements as a ledger-cli /
                      hledger journal, for the balance comparison; a
                      resident's account is resident:<village>:<resident>
                      (ledger-cli's balance report is quadratic in the
                      sub-accounts of one parent)

Deterministic for a given seed. Amounts are kept so that no redemption or
disbursement overdraws (each resident is awarded before spending).
"""
import argparse
import os
import random

SURNAMES = "曲王李张刘孙陈杨赵黄周吴徐朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "建国秀英志强桂兰海涛玉梅德福春花明亮淑珍立新翠萍永刚红霞国庆丽娟长青凤英振华文斌美玲宝山晓燕洪波"


def name(rng):
    g = GIVEN[rng.randrange(len(GIVEN) // 2) * 2:][:2]
    return rng.choice(SURNAMES) + g


RULES = [  # code, category, points, min, max
    ("VOL", "志愿服务", 1, 1, 50),
    ("ELDER", "孝老爱亲", 5, 2, 10),
    ("CLEAN", "环境整治", 2, "", ""),
    ("CUSTOM", "移风易俗", 3, "", ""),
    ("DONATE", "志愿服务", 5, 1, 20),
    ("LITTER", "环境整治", -10, "", ""),
    ("SORT", "环境整治", -5, "", ""),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--villages", type=int, default=778)
    ap.add_argument("--residents", type=int, default=286_000)
    ap.add_argument("--seed", type=int, default=20211)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    p = lambda f: os.path.join(a.out_dir, f)

    villages = [f"V{i:04d}" for i in range(a.villages)]
    with open(p("villages.txt"), "w") as f:
        for i, v in enumerate(villages):
            f.write(f"{v} 第{i + 1}村\n")
    with open(p("funds.txt"), "w") as f:
        for v in villages:
            f.write(f"F{v[1:]} {v}\n")

    residents = []  # (id, village)
    with open(p("households.csv"), "w") as hf, open(p("residents.csv"), "w") as rf:
        hf.write("id,village,head\n")
        rf.write("id,village,household,name,minor,birth_year\n")
        h = 0
        while len(residents) < a.residents:
            v = villages[h % len(villages)]
            hid = f"H{h:06d}"
            head = name(rng)
            hf.write(f"{hid},{v},{head}\n")
            for k in range(rng.randint(2, 4)):
                if len(residents) >= a.residents:
                    break
                rid = f"R{len(residents):06d}"
                minor = 1 if k >= 2 and rng.random() < 0.5 else 0
                by = rng.randint(2008, 2018) if minor else rng.randint(1940, 2002)
                # The birth year decides the age; a `minor` cell would become a
                # contradiction (exit 3) once the child turns 18.
                rf.write(f"{rid},{v},{hid},{head if k == 0 else name(rng)},,{by}\n")
                residents.append((rid, v))
            h += 1

    with open(p("rules.csv"), "w") as f:
        f.write("code,category,points,village,min,max,description\n")
        for code, cat, pts, lo, hi in RULES:
            f.write(f"{code},{cat},{pts},,{lo},{hi},{cat}\n")

    n = a.events
    counts = {"awards": int(n * 0.70), "deductions": int(n * 0.10),
              "redemptions": int(n * 0.12), "donations": int(n * 0.03)}
    counts["disbursements"] = n - sum(counts.values())
    spendable = {}
    journal = open(p("journal.ledger"), "w")
    date = lambda: f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    with open(p("awards.csv"), "w") as f:
        f.write("resident,rule,points,date,note\n")
        award_rules = [r for r in RULES if r[2] > 0]
        for i in range(counts["awards"]):
            rid, v = residents[i % len(residents)]
            code, _, pts, lo, hi = rng.choice(award_rules)
            amount = rng.randint(lo, hi) if lo != "" else pts
            d = date()
            f.write(f"{rid},{code},{amount if lo != '' else ''},{d},\n")
            spendable[rid] = spendable.get(rid, 0) + amount
            journal.write(f"{d} award\n    resident:{v}:{rid}  {amount} PT\n    issued:{v}\n\n")
    with open(p("deductions.csv"), "w") as f:
        f.write("resident,rule,date\n")
        for i in range(counts["deductions"]):
            rid, v = residents[(i * 7) % len(residents)]
            code, _, pts, _, _ = rng.choice([r for r in RULES if r[2] < 0])
            d = date()
            f.write(f"{rid},{code},{d}\n")
            spendable[rid] = spendable.get(rid, 0) + pts
            journal.write(f"{d} deduct\n    issued:{v}  {-pts} PT\n    resident:{v}:{rid}\n\n")
    with open(p("redemptions.csv"), "w") as f:
        f.write("resident,points,item,shop,quantity\n")
        made = 0
        i = 0
        while made < counts["redemptions"] and i < 20 * len(residents):
            rid, v = residents[(i * 13) % len(residents)]
            i += 1
            if spendable.get(rid, 0) < 1:
                continue
            amount = rng.randint(1, min(5, spendable[rid]))
            spendable[rid] -= amount
            # The shop is an id ([A-Za-z0-9_.-]): the village's supermarket.
            shop = f"SHOP-{v}"
            f.write(f"{rid},{amount},毛巾,{shop},1\n")
            journal.write(f"2021-12-31 redeem\n    redeemed:{v}:{shop}  {amount} PT\n    resident:{v}:{rid}\n\n")
            made += 1
    fund_cash = {}
    with open(p("donations.csv"), "w") as f:
        f.write("fund,amount,donor_org\n")
        for i in range(counts["donations"]):
            v = villages[i % len(villages)]
            fund = f"F{v[1:]}"
            fen = rng.randint(100, 5000) * 100
            fund_cash[fund] = fund_cash.get(fund, 0) + fen
            f.write(f"{fund},{fen // 100},爱心企业{i % 97}\n")
            journal.write(f"2021-06-01 donate\n    fund:{fund}  {fen} FEN\n    donations:{fund}\n\n")
    with open(p("disbursements.csv"), "w") as f:
        f.write("fund,to,amount,period\n")
        for i in range(counts["disbursements"]):
            rid, v = residents[(i * 11) % len(residents)]
            fund = f"F{v[1:]}"
            if fund_cash.get(fund, 0) < 10000:
                continue
            fen = 10000
            fund_cash[fund] -= fen
            f.write(f"{fund},{rid},100,2021Q4\n")
            journal.write(f"2021-12-01 pay\n    paid:{fund}:{rid}  {fen} FEN\n    fund:{fund}\n\n")
    journal.close()


if __name__ == "__main__":
    main()
