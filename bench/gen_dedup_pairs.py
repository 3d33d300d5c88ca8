#!/usr/bin/env python3
"""gen_dedup_pairs.py: makes bench/data/dedup_pairs.tsv from the
hand-written complaints in bench/data/dedup_base.tsv.

The output is committed; this script only documents how it was made and
regenerates it (deterministically, fixed seed): python3 bench/gen_dedup_pairs.py

Each output line is: kind, label (1 = the same complaint, 0 = not), text a,
text b. Kinds:
  format      same text, other case and punctuation (1)
  typo        2 to 4 typing mistakes (1)
  reorder     the sentences in another order (1)
  light       2 to 4 words swapped for synonyms, a greeting or thanks added (1)
  mixed       typos, another order and a synonym together (1)
  rewrite     the same complaint written again by hand (1)
  same_place  another complaint about the same place (0)
  same_words  the same wording about another place (0): a text comparison
              cannot tell these apart; they show what the threshold costs
  unrelated   two complaints about different things and places (0)
"""
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "data", "dedup_base.tsv")
OUT = os.path.join(HERE, "data", "dedup_pairs.tsv")

SYN = {
    "sangat": "amat", "segera": "secepatnya", "mohon": "tolong",
    "rusak": "hancur", "besar": "lebar", "sejak": "semenjak",
    "sudah": "telah", "tetapi": "namun", "karena": "sebab",
    "banyak": "sejumlah", "warga": "masyarakat", "petugas": "pegawai",
    "meminta": "memohon", "diperbaiki": "dibenahi", "kemarin": "kemarin sore",
    "setiap": "tiap", "hari": "harinya", "padahal": "sedangkan",
    "jalan": "ruas jalan", "kami": "kita", "bulan": "bln",
    "lama": "lamban", "kotor": "jorok", "takut": "khawatir",
    "mengatakan": "bilang", "tidak": "tak", "harus": "mesti",
}
GREET = ["Selamat pagi, ", "Yth. Bapak/Ibu, ", "Assalamualaikum. ",
         "Dengan hormat, "]
THANKS = [" Terima kasih.", " Atas perhatiannya kami ucapkan terima kasih.",
          " Mohon ditindaklanjuti."]
OTHER_PLACES = ["Pasar Caringin", "Puskesmas Ujungberung", "SD Negeri 7 Antapani",
                "Kelurahan Sukaluyu", "Terminal Cicaheum", "Jalan Pasteur",
                "RSUD Soreang", "Desa Mekarsari", "Samsat Soekarno Hatta",
                "Taman Lansia", "Perumahan Bumi Asri", "Stasiun Cimahi",
                "Kecamatan Coblong", "Sungai Citarum", "PDAM Cabang Barat",
                "SMP Negeri 5", "Pelabuhan Cirebon", "Kantor Pajak Madya",
                "Rusun Sadang Serang", "Jalan Raya Lembang", "Posyandu Anggrek",
                "GOR Saparua"]
PLACE_WORDS = {
    "pasar-kosambi": "Pasar Kosambi", "puskesmas-cibeunying": "Puskesmas Cibeunying",
    "sdn-3-sukajadi": "SD Negeri 3 Sukajadi", "kelurahan-cipedes": "Kelurahan Cipedes",
    "terminal-leuwipanjang": "Terminal Leuwipanjang", "jalan-soekarno-hatta": "Jalan Soekarno Hatta",
    "rsud-kota": "RSUD Kota", "desa-sukamaju": "Desa Sukamaju",
    "samsat-cikokol": "Samsat Cikokol", "taman-kota-merdeka": "Taman Kota Merdeka",
    "perumahan-griya-asri": "Perumahan Griya Asri", "stasiun-kiaracondong": "Stasiun Kiaracondong",
    "kecamatan-bojongloa": "Kecamatan Bojongloa", "sungai-cikapundung": "Sungai Cikapundung",
    "pdam-cabang-timur": "PDAM Cabang Timur", "smp-negeri-12": "SMP Negeri 12",
    "pelabuhan-ratu": "Pelabuhan Ratu", "kantor-pajak-pratama": "Kantor Pajak Pratama",
    "rusun-cingised": "Rusun Cingised", "jalan-raya-cileunyi": "Jalan Raya Cileunyi",
    "posyandu-melati": "Posyandu Melati", "gor-pajajaran": "Gedung Olahraga Pajajaran",
}


def sentences(t):
    return [s for s in re.split(r"(?<=[.!?])\s+", t.strip()) if s]


def typo(word, rnd):
    if len(word) < 4:
        return word
    i = rnd.randrange(1, len(word) - 1)
    op = rnd.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:
        return word[:i] + word[i + 1:]
    if op == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rnd.choice("aeioukn") + word[i + 1:]


def add_typos(t, rnd, n):
    w = t.split(" ")
    for _ in range(n):
        i = rnd.randrange(len(w))
        w[i] = typo(w[i], rnd)
    return " ".join(w)


def reorder(t, rnd):
    s = sentences(t)
    if len(s) < 2:
        return t
    o = s[:]
    while o == s:
        rnd.shuffle(o)
    return " ".join(o)


def light(t, rnd, n):
    w = t.split(" ")
    idx = [i for i, x in enumerate(w) if x.lower().strip(".,") in SYN]
    rnd.shuffle(idx)
    for i in idx[:n]:
        core = w[i].strip(".,")
        rep = SYN[core.lower()]
        if core[0].isupper():
            rep = rep[0].upper() + rep[1:]
        w[i] = w[i].replace(core, rep)
    out = " ".join(w)
    if rnd.random() < 0.5:
        out = rnd.choice(GREET) + out[0].lower() + out[1:]
    else:
        out = out + rnd.choice(THANKS)
    return out


def fmt(t, rnd):
    if rnd.random() < 0.5:
        out = t.upper()
    else:
        out = t.lower()
    out = out.replace(",", "").replace(". ", "!! ")
    return out


def main():
    rnd = random.Random(20260701)
    base, rewrites, place = {}, {}, {}
    for line in open(BASE, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        i, p, t = line.rstrip("\n").split("\t")
        if i.endswith("r"):
            rewrites[i[:-1]] = t
        else:
            base[i] = t
            place[i] = p
    ids = sorted(base)
    pairs = []
    for i in ids:
        t = base[i]
        pairs.append(("format", 1, t, fmt(t, rnd)))
        pairs.append(("typo", 1, t, add_typos(t, rnd, rnd.randrange(2, 5))))
        pairs.append(("reorder", 1, t, reorder(t, rnd)))
        pairs.append(("light", 1, t, light(t, rnd, rnd.randrange(2, 5))))
    for i in ids[::3]:
        t = base[i]
        pairs.append(("mixed", 1, t,
                      light(reorder(add_typos(t, rnd, 2), rnd), rnd, 1)))
    for i in sorted(rewrites):
        pairs.append(("rewrite", 1, base[i], rewrites[i]))
    groups = {}
    for i in ids:
        groups.setdefault(place[i], []).append(i)
    for p in sorted(groups):
        g = groups[p]
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                pairs.append(("same_place", 0, base[g[x]], base[g[y]]))
    for n, p in enumerate(sorted(groups)):
        i = groups[p][0]
        name = PLACE_WORDS[p]
        if name in base[i]:
            pairs.append(("same_words", 0, base[i],
                          base[i].replace(name, OTHER_PLACES[n])))
    for _ in range(40):
        a, b = rnd.sample(ids, 2)
        while place[a] == place[b]:
            a, b = rnd.sample(ids, 2)
        pairs.append(("unrelated", 0, base[a], base[b]))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# generated by bench/gen_dedup_pairs.py from dedup_base.tsv;"
                " kind, label, a, b\n")
        for k, l, a, b in pairs:
            assert "\t" not in a + b and "\n" not in a + b
            f.write("%s\t%d\t%s\t%s\n" % (k, l, a, b))
    print("%d pairs written to %s" % (len(pairs), OUT))


if __name__ == "__main__":
    main()
