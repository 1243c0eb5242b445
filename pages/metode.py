"""Tentang metode (about the method), written for a pimpinan: what each test means, how the primary
test is chosen, why before/after alone can mislead, small samples, multiple comparisons, the IKM
formula and grades, the 20 JP rule, the Kirkpatrick levels and the default follow-up rules. Static text; the numbers in it
(thresholds, target JP, grade bands) are read from the code that applies them."""

from __future__ import annotations

import streamlit as st

from analysis.core.config import get_settings
from analysis.evidence.engine import SMALL_N
from analysis.stats.did import MIN_CLUSTERS
from analysis.stats.power import POWER, TARGET_DZ, n_required
from analysis.core.significance import ALPHA, MIN_NONZERO
from analysis.stats.paired import EXACT_WILCOXON_BELOW, T_TEST_MIN_N
from analysis.voice.ikm import GRADE_BANDS, GRADE_LABELS, SMALL_SAMPLE, krejcie_morgan
from analysis.followup.recommend import MIN_PAIRS, NEGLIGIBLE
from analysis.stats.power import min_detectable_dz, precise_null_pairs
from ui.session import integer, lang, num, pct, require, tr

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"

STRINGS = {
    "title": {"id": "Tentang metode", "en": "About the method"},
    "intro": {
        "id": "Halaman ini menjelaskan, tanpa rumus yang rumit, bagaimana dasbor menilai apakah sebuah program "
              "pembinaan ASN berdampak, dan bagaimana membaca angkanya dengan hati-hati.",
        "en": "This page explains, without heavy formulas, how the dashboard judges whether an ASN development "
              "program made a difference, and how to read its numbers with care."},
    "kirkpatrick.h": {"id": "Empat tingkat evaluasi (Kirkpatrick)", "en": "Four levels of evaluation (Kirkpatrick)"},
    "kirkpatrick": {
        "id": "Evaluasi pelatihan di pemerintahan mengikuti empat tingkat Kirkpatrick:\n\n"
              "- **L1 Reaksi** — kepuasan peserta terhadap pelatihan (kolom kepuasan peserta, skala 1–5).\n"
              "- **L2 Pembelajaran** — pengetahuan sebelum dan sesudah: nilai *pre-test* dan *post-test* "
              "(ukuran “Pengetahuan”).\n"
              "- **L3 Perilaku** — kinerja di tempat kerja sebelum dan sesudah, misalnya nilai atau predikat SKP "
              "(ukuran “Kinerja”).\n"
              "- **L4 Hasil** — dampak pada layanan, misalnya kepuasan warga (IKM) unit tempat peserta bekerja "
              "(halaman Suara Masyarakat).\n\n"
              "L3 dan L4 bersama disebut *Evaluasi Pasca Pelatihan*. Makin tinggi tingkatnya, makin bermakna "
              "tetapi makin sulit dibuktikan.",
        "en": "Training evaluation in government follows Kirkpatrick's four levels:\n\n"
              "- **L1 Reaction** — participants' satisfaction with the training (participant satisfaction, "
              "1–5 scale).\n"
              "- **L2 Learning** — knowledge before and after: *pre-test* and *post-test* scores (the "
              "“Knowledge” measure).\n"
              "- **L3 Behaviour** — performance at work before and after, e.g. SKP scores or ratings (the "
              "“Performance” measure).\n"
              "- **L4 Results** — the effect on services, e.g. citizens' satisfaction (IKM) with the units where "
              "participants work (the Citizen Voice page).\n\n"
              "L3 and L4 together are called *post-training evaluation* (Evaluasi Pasca Pelatihan). The higher "
              "the level, the more it matters and the harder it is to prove."},
    "change.h": {"id": "Perubahan dan ketidakpastiannya", "en": "Change and its uncertainty"},
    "change": {
        "id": "Untuk setiap peserta dihitung **perubahan = nilai sesudah − nilai sebelum**, lalu dirata-ratakan. "
              "Angka rata-rata itu selalu disertai **95% CI** (selang kepercayaan): rentang nilai yang masuk akal "
              "bagi efek sebenarnya. CI yang lebar berarti data belum cukup untuk memastikan besarnya efek; "
              "CI yang seluruhnya di atas nol berarti kenaikan yang meyakinkan.\n\n"
              "**Ukuran efek d_z** = perubahan rata-rata dibagi simpangan baku perubahan. Ia membuat program "
              "dengan skala berbeda dapat dibandingkan: sekitar 0,2 kecil, 0,5 sedang, 0,8 besar. Untuk kelompok "
              "kecil dipakai juga koreksi Hedges (g_z).",
        "en": "For each participant the dashboard computes **change = score after − score before**, then "
              "averages it. The average always comes with a **95% CI** (confidence interval): the range of "
              "plausible values for the true effect. A wide CI means the data cannot yet pin the effect down; a "
              "CI entirely above zero means a convincing gain.\n\n"
              "**Effect size d_z** = mean change divided by the standard deviation of the changes. It makes "
              "programs on different scales comparable: about 0.2 small, 0.5 medium, 0.8 large. For small groups "
              "Hedges' correction (g_z) is shown too."},
    "tests.h": {"id": "Apa arti setiap uji", "en": "What each test means"},
    "tests": {
        "id": "- **Uji t berpasangan** — apakah perubahan rata-rata berbeda dari nol, bila perubahannya kurang "
              "lebih simetris. Hasilnya sama dengan R `t.test(sesudah, sebelum, paired = TRUE)`.\n"
              "- **Uji Wilcoxon signed-rank** — pertanyaan yang sama tanpa menganggap data normal: melihat apakah "
              "kenaikan lebih banyak dan lebih besar daripada penurunan (berdasarkan peringkat). Cocok untuk data "
              "miring, nilai ekstrem, atau predikat berjenjang. Ukuran efeknya korelasi rank-biserial.\n"
              "- **Uji tanda** — hanya menghitung berapa yang naik dan berapa yang turun.\n"
              "- **Uji Shapiro–Wilk** — memeriksa apakah perubahan berdistribusi kira-kira normal; dipakai untuk "
              "memilih uji utama.\n"
              "- **Nilai p** — seberapa mungkin hasil sebesar ini muncul bila program sebenarnya tidak berpengaruh. "
              "p < 0,05 disebut signifikan. Nilai p **bukan** ukuran besarnya efek: lihat perubahan dan CI-nya.",
        "en": "- **Paired t-test** — whether the mean change differs from zero, when changes are roughly "
              "symmetric. It matches R's `t.test(after, before, paired = TRUE)`.\n"
              "- **Wilcoxon signed-rank test** — the same question without assuming normal data: whether gains "
              "outnumber and outweigh losses (by rank). Suits skewed data, extreme values or ordered ratings. Its "
              "effect size is the rank-biserial correlation.\n"
              "- **Sign test** — only counts how many went up and how many went down.\n"
              "- **Shapiro–Wilk test** — checks whether the changes are roughly normal; used to choose the "
              "primary test.\n"
              "- **p-value** — how likely a result this large would be if the program had no effect at all. "
              "p < 0.05 is called significant. A p-value is **not** the size of the effect: look at the change "
              "and its CI."},
    "primary.h": {"id": "Bagaimana uji utama dipilih", "en": "How the primary test is chosen"},
    "primary": {
        "id": "Setiap kelompok mendapat semua uji di atas, tetapi satu dipilih sebagai **uji utama** dengan aturan "
              "tetap, sebelum melihat hasilnya:\n\n"
              "1. Untuk **skor angka**: uji t berpasangan bila ada sedikitnya {tmin} pasangan (rata-rata lalu "
              "mendekati normal apa pun bentuk datanya) atau bila uji Shapiro–Wilk tidak menolak normalitas "
              "perubahan (p ≥ {alpha}); selain itu uji Wilcoxon signed-rank.\n"
              "2. Untuk **predikat berjenjang** (mis. Butuh Perbaikan < Baik < Sangat Baik): selalu uji Wilcoxon "
              "pada urutan predikat, karena jarak antar-predikat tidak bermakna sebagai angka; ditampilkan juga "
              "tabel pergeseran predikat.\n\n"
              "Uji Wilcoxon memakai p eksak bila pasangan bukan nol kurang dari {exact} dan tidak ada nilai kembar; "
              "selain itu aproksimasi normal dengan koreksi kontinuitas (seperti R).",
        "en": "Every group gets all the tests above, but one is chosen as the **primary test** by a fixed rule, "
              "before looking at the results:\n\n"
              "1. For **numeric scores**: the paired t-test when there are at least {tmin} pairs (the mean is "
              "then close to normal whatever the data look like) or when the Shapiro–Wilk test does not reject "
              "normality of the changes (p ≥ {alpha}); otherwise the Wilcoxon signed-rank test.\n"
              "2. For **ordered ratings** (e.g. Butuh Perbaikan < Baik < Sangat Baik): always the Wilcoxon test "
              "on the rating order, since the distance between ratings has no meaning as a number; a rating "
              "shift table is shown too.\n\n"
              "The Wilcoxon test uses an exact p when there are fewer than {exact} non-zero pairs and no ties; "
              "otherwise the normal approximation with continuity correction (as R does)."},
    "design.h": {"id": "Mengapa sebelum–sesudah saja bisa menyesatkan",
                 "en": "Why before/after alone can mislead"},
    "design": {
        "id": "Kenaikan nilai peserta belum tentu karena program:\n\n"
              "- **Regresi ke rata-rata** — yang nilainya kebetulan rendah saat tes pertama cenderung naik pada "
              "tes berikutnya tanpa sebab apa pun. Bila peserta dipilih karena nilainya rendah, kenaikan ini "
              "tampak seperti efek program.\n"
              "- **Seleksi** — peserta yang dikirim mungkin memang sedang berkembang atau lebih bersemangat.\n"
              "- **Perubahan umum** — aturan baru, aplikasi baru, atau tes kedua yang lebih mudah mengubah nilai "
              "semua pegawai, ikut pelatihan atau tidak.\n\n"
              "Karena itu dasbor memakai **kelompok pembanding**: pegawai yang tidak mengikuti program (kelompok "
              "“pembanding” di data) dan dinilai pada waktu yang sama. Efek yang jujur adalah **selisih-dalam-"
              "selisih (difference-in-differences, DiD)**: kenaikan peserta dikurangi kenaikan pembanding. "
              "Contoh: peserta naik 5 poin, pembanding naik 3 poin → efek program sekitar 2 poin, bukan 5.\n\n"
              "Ketidakpastian DiD dihitung dengan galat baku yang dikelompokkan per kecamatan (pegawai di satu "
              "kecamatan saling mirip): koreksi CR1 dan distribusi t dengan G − 1 derajat bebas (G = jumlah "
              "kecamatan); keduanya tercantum di keluaran JSON (`did_df`, `did.correction`). Dengan kurang dari "
              "{clusters} kecamatan, galat baku itu kurang dapat diandalkan dan dasbor menandainya. DiD dipakai "
              "setiap kali ada pegawai pembanding yang cocok; bila kurang dari {min_comp}, satu atau dua orang akan "
              "menentukan hasilnya, jadi kelompok itu dibaca “data terlalu sedikit untuk menyimpulkan”. Tanpa "
              "kelompok pembanding, dasbor tetap menampilkan sebelum–sesudah, dengan peringatan bahwa hasilnya "
              "cenderung berlebihan.",
        "en": "A rise in participants' scores is not necessarily due to the program:\n\n"
              "- **Regression to the mean** — people who happened to score low on a first test tend to score "
              "higher on the next one for no reason at all. If participants were chosen because they scored "
              "low, this rise looks like a program effect.\n"
              "- **Selection** — those sent on the program may already be improving or be more motivated.\n"
              "- **General change** — a new rule, a new application or an easier second test moves everyone's "
              "scores, trained or not.\n\n"
              "So the dashboard uses a **comparison group**: staff who did not take the program (group "
              "“pembanding” in the data), assessed at the same times. The honest effect is the **difference in "
              "differences (DiD)**: the participants' gain minus the comparison group's gain. Example: "
              "participants rose 5 points, the comparison group 3 points → the program's effect is about 2 "
              "points, not 5.\n\n"
              "The DiD's uncertainty uses standard errors clustered by district (staff in one district resemble "
              "each other): the CR1 correction and a t distribution with G − 1 degrees of freedom (G = the number "
              "of districts), both named in the JSON output (`did_df`, `did.correction`). With fewer than "
              "{clusters} districts those standard errors are less reliable and the dashboard flags it. The DiD "
              "is used whenever comparison staff match; with fewer than {min_comp}, one or two people would "
              "decide the result, so the group reads “too little data to conclude”. Without a comparison group "
              "the dashboard still shows before/after, with a warning that it tends to overstate."},
    "small.h": {"id": "Sampel kecil: “data terlalu sedikit” bukan “tidak ada efek”",
                "en": "Small samples: “too little data” is not “no effect”"},
    "small": {
        "id": "Satu aturan berlaku untuk setiap grafik, tabel, slide dan bacaan: kelompok dengan **kurang dari "
              "{small} pasangan lengkap** atau **kurang dari {nz} selisih bukan nol** dibaca **“data terlalu "
              "sedikit untuk menyimpulkan”**, apa pun nilai p-nya — bukan “tidak ada efek”. Perkiraannya tetap "
              "ditampilkan, tetapi dengan titik berongga atau warna pudar dan label “n kecil”, tidak pernah "
              "dengan warna penuh.\n\n"
              "- Mengapa nilai p tidak mengalahkan aturan ini: dengan kurang dari {nz} selisih bukan nol, uji "
              "Wilcoxon eksak **tidak mungkin** mencapai p < 0,05, sedangkan uji t pada lima pasangan bisa — "
              "hasilnya akan bergantung pada uji mana yang kebetulan terpilih, bukan pada buktinya.\n"
              "- **Power**: untuk mendeteksi efek sedang (d_z = {dz}) dengan peluang {power} dibutuhkan sedikitnya "
              "{nreq} pasangan. Untuk setiap kelompok dasbor menyebut efek terkecil yang dapat dideteksi; kelompok "
              "yang tidak mencapainya diberi catatan, tetapi tetap disimpulkan (kenaikan, penurunan, atau belum "
              "terbukti).",
        "en": "One rule holds for every chart, table, slide and reading: a group with **fewer than {small} "
              "complete pairs** or **fewer than {nz} non-zero differences** reads **“too little data to "
              "conclude”**, whatever its p-value — never “no effect”. Its estimate is still shown, but as a "
              "hollow dot or in faded colour with a “small n” label, never in full colour.\n\n"
              "- Why a p-value does not overrule the rule: with fewer than {nz} non-zero differences an exact "
              "Wilcoxon test can **never** reach p < 0.05, while a t-test on five pairs can — the answer would "
              "depend on which test happened to be chosen, not on the evidence.\n"
              "- **Power**: detecting a medium effect (d_z = {dz}) with probability {power} needs at least {nreq} "
              "pairs. For every group the dashboard names the smallest detectable effect; a group that falls "
              "short gets a note, but is still concluded on (increase, decrease, or no evidence yet)."},
    "counting.h": {"id": "Siapa dihitung, dan dari data mana", "en": "Who is counted, and from which data"},
    "counting": {
        "id": "- **Sekali per orang.** Nilai kinerja (SKP) adalah nilai tahunan seseorang, tertulis di setiap baris "
              "programnya. Hasil keseluruhan dihitung sekali dari data per orang, jadi pegawai yang ikut dua program "
              "dihitung sekali di keseluruhan, bagaimanapun hasil dikelompokkan.\n"
              "- **Baris ganda yang bertentangan.** NIP yang sama dalam program dan triwulan yang sama dengan nilai "
              "berbeda dilaporkan (kedua baris Excel dan kedua nilainya); orang itu tidak dihitung pada ukuran itu "
              "sampai berkasnya diperbaiki. Baris ganda yang identik cukup ditolak salah satunya.\n"
              "- **Asal angka.** Selama belum ada dataset yang diterbitkan, dasbor memakai data contoh bawaan "
              "berlabel DATA SINTETIS. Begitu dataset nyata mana pun diterbitkan, tidak ada halaman, angka, "
              "unduhan atau slide yang memakai data contoh; jenis data yang belum diterbitkan ditampilkan kosong "
              "dengan keterangan apa yang perlu diunggah. Setiap angka utama menyebut dataset dan versinya.",
        "en": "- **Once per person.** Performance (SKP) is a person's yearly value, written on each of their program "
              "rows. The overall result is computed once from the per-person data, so someone in two programs "
              "counts once overall, however results are grouped.\n"
              "- **Conflicting duplicates.** The same NIP in the same program and quarter with different values is "
              "reported (both Excel rows and both values); that person is left out of that measure until the file "
              "is corrected. Of identical duplicates one is simply rejected.\n"
              "- **Where a number comes from.** Until a dataset is published the dashboard shows the bundled sample, "
              "labelled SYNTHETIC DATA. Once any real dataset is published, no page, figure, download or slide "
              "uses the sample; a kind of data not yet published shows as empty, saying what to upload. Every "
              "headline figure names its dataset and version."},
    "multiple.h": {"id": "Banyak perbandingan sekaligus", "en": "Many comparisons at once"},
    "multiple": {
        "id": "Bila 12 program × 21 kecamatan diuji sekaligus, beberapa hasil akan tampak “signifikan” hanya "
              "karena kebetulan (dengan p < 0,05, kira-kira 1 dari 20 uji). Karena itu nilai p **dikoreksi** atas "
              "semua kelompok yang ditampilkan bersama, dengan metode **Holm** (ketat: mengendalikan peluang "
              "satu saja kesimpulan keliru). Metode Benjamini–Hochberg (mengendalikan proporsi temuan keliru) "
              "tersedia di baris perintah. Tanda “*” dan warna “naik signifikan” di dasbor selalu memakai p "
              "terkoreksi.",
        "en": "When 12 programs × 21 districts are tested at once, some results look “significant” by chance "
              "alone (at p < 0.05, about 1 test in 20). So p-values are **adjusted** over all groups shown "
              "together, with the **Holm** method (strict: controls the chance of even one false conclusion). "
              "The Benjamini–Hochberg method (controls the share of false findings) is available on the command "
              "line. The “*” marks and the “significant increase” colour always use adjusted p-values."},
    "ikm.h": {"id": "Indeks Kepuasan Masyarakat (IKM)", "en": "Community Satisfaction Index (IKM)"},
    "ikm": {
        "id": "Survei Kepuasan Masyarakat (PermenPANRB 14/2017) menanyakan sembilan unsur layanan — persyaratan; "
              "sistem, mekanisme dan prosedur; waktu penyelesaian; biaya/tarif; produk layanan; kompetensi "
              "pelaksana; perilaku pelaksana; sarana dan prasarana; penanganan pengaduan — masing-masing dinilai "
              "1 (tidak baik) sampai 4 (sangat baik). Untuk setiap unsur dihitung **NRR** = jumlah nilai ÷ jumlah "
              "responden yang menjawab unsur itu, lalu:",
        "en": "The Community Satisfaction Survey (PermenPANRB 14/2017) asks about nine service elements — "
              "requirements; system, mechanism and procedure; completion time; cost; service product; staff "
              "competence; staff behaviour; facilities; complaint handling — each rated 1 (poor) to 4 (very "
              "good). For each element the **NRR** = sum of scores ÷ respondents who answered that element, "
              "then:"},
    "ikm.after": {
        "id": "Bobot 1/9 dan NRR tidak dibulatkan di tengah jalan. IKM dilaporkan dengan dua desimal, dan mutunya "
              "dibaca dari nilai yang dilaporkan itu:",
        "en": "Neither the 1/9 weight nor the NRRs are rounded on the way. The IKM is reported with two "
              "decimals, and its grade is read from that reported value:"},
    "ikm.sample": {
        "id": "Jumlah responden minimum mengikuti tabel Krejcie–Morgan: mis. {k100} responden untuk 100 pengguna "
              "layanan, {k1000} untuk 1.000, {k10000} untuk 10.000. Target ini hanya diperiksa untuk unit yang "
              "populasinya diisi; tanpa populasi, dasbor menyatakan populasinya belum diketahui dan tidak "
              "mengarangnya. Unit dengan kurang dari {small} responden selalu ditandai (IKM-nya belum kuat), dan "
              "unit yang respondennya tidak menjawab satu unsur pun tetap ditampilkan, dengan tanda.",
        "en": "The minimum number of respondents follows the Krejcie–Morgan table: e.g. {k100} respondents for "
              "100 service users, {k1000} for 1,000, {k10000} for 10,000. The target is checked only for units "
              "whose population was entered; without one the dashboard says the population is unknown and does "
              "not make one up. Units with fewer than {small} respondents are always flagged (their IKM is not "
              "yet firm), and a unit whose respondents answered no element still appears, flagged."},
    "grade.col": {"id": "Mutu", "en": "Grade"},
    "grade.range": {"id": "IKM", "en": "IKM"},
    "grade.meaning": {"id": "Arti", "en": "Meaning"},
    "grade.below": {"id": "di bawah {hi}", "en": "below {hi}"},
    "grade.between": {"id": "{lo} sampai di bawah {hi}", "en": "{lo} to below {hi}"},
    "grade.above": {"id": "{lo} ke atas", "en": "{lo} and above"},
    "jp.h": {"id": "Hak {target} JP per tahun", "en": "The right to {target} JP a year"},
    "jp": {
        "id": "Setiap PNS berhak atas pengembangan kompetensi paling sedikit **{target} jam pelajaran (JP) per "
              "tahun** (PP 11/2017 sebagaimana diubah PP 17/2020; Peraturan LAN 10/2018). **1 JP = 45 menit.** "
              "Bentuk klasikal (kelas, lokakarya) maupun nonklasikal (coaching, mentoring, e-learning, magang) "
              "sama-sama dihitung. Dasbor menjumlahkan JP setiap PNS per tahun kalender dari semua program yang "
              "tercatat dan menampilkan persentase PNS yang mencapai {target} JP. Pegawai yang sama sekali tidak "
              "tercatat di data tidak terlihat, sehingga angka ini adalah batas atas. Halaman Karier dan JP "
              "memakai ekspor penilaian kinerja sebagai daftar seluruh pegawai: yang tanpa pengembangan apa pun "
              "dihitung dengan 0 JP, dan JP mentoring (mentee) serta pengembangan lain ikut dijumlahkan.",
        "en": "Every PNS has a right to at least **{target} learning hours (JP) of competency development a "
              "year** (PP 11/2017 as amended by PP 17/2020; LAN Regulation 10/2018). **1 JP = 45 minutes.** "
              "Classical (class, workshop) and non-classical forms (coaching, mentoring, e-learning, internships) "
              "both count. The dashboard adds up each PNS's JP per calendar year over every recorded program and "
              "shows the share of PNS reaching {target} JP. Staff absent from the data entirely cannot be seen, "
              "so this share is an upper bound. The Careers and JP page takes the appraisal export as the list of "
              "all employees: those without any development count with 0 JP, and mentoring (as mentee) and other "
              "development are added."},
    "skp.h": {"id": "Predikat kinerja (SKP)", "en": "Performance ratings (SKP)"},
    "skp": {
        "id": "Kinerja dapat berupa angka (skala lama PP 46/2011: ≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, "
              "51–60 Kurang, ≤ 50 Buruk) atau predikat PermenPANRB 6/2022: Sangat Kurang < Kurang/Misconduct < "
              "Butuh Perbaikan < Baik < Sangat Baik. Predikat diuji menurut urutannya, bukan sebagai angka.",
        "en": "Performance may be a number (the old PP 46/2011 scale: ≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, "
              "51–60 Kurang, ≤ 50 Buruk) or a PermenPANRB 6/2022 rating: Sangat Kurang < Kurang/Misconduct < "
              "Butuh Perbaikan < Baik < Sangat Baik. Ratings are tested by their order, not as numbers."},
    "followup.h": {"id": "Rekomendasi tindak lanjut: aturan bawaan", "en": "Follow-up recommendations: the default rules"},
    "followup": {
        "id": "Halaman Tindak Lanjut menyusun satu baris per program dengan empat tingkat Kirkpatrick, lalu aturan "
              "memberi rekomendasi: **lanjutkan**, **kembangkan**, **perbaiki**, **hentikan** atau **data belum "
              "cukup**. Aturan dibaca berurutan; aturan pertama yang semua syaratnya terpenuhi menentukan, dan "
              "alasannya selalu ditampilkan dengan angka-angkanya. Aturan bawaan, berurutan:\n\n"
              "1. Kurang dari {pairs} pasangan sebelum–sesudah pada pengetahuan (L2) **dan** kinerja (L3) → "
              "**data belum cukup**. Dengan {pairs} pasangan pun efek terkecil yang dapat dideteksi adalah "
              "d_z = {mde_min}, efek yang sangat besar.\n"
              "2. Kinerja, lalu pengetahuan, **turun** signifikan setelah koreksi (sedikitnya {pairs} pasangan) → "
              "**hentikan**: program merugikan.\n"
              "3. **Nol yang presisi** pada pengetahuan dan kinerja → **hentikan**. Nol yang presisi artinya "
              "seluruh 95% CI ukuran efek berada di dalam pita yang dapat diabaikan, −{band} sampai {band} "
              "(batas efek “kecil” menurut Cohen): datanya cukup untuk menyatakan bahwa efeknya, bila ada, lebih "
              "kecil dari kecil. Ini butuh banyak data: bahkan bila perubahan rata-rata tepat nol, CI baru muat di "
              "pita itu mulai {precise} pasangan.\n"
              "4. Nol yang presisi pada kinerja saja → **perbaiki**: program belum mengubah cara kerja.\n"
              "5. Kinerja naik signifikan **dibanding kelompok pembanding** (selisih-dalam-selisih) dan IKM unit "
              "peserta (L4) tidak turun → **kembangkan**: hanya bukti terkuat yang membenarkan perluasan.\n"
              "6. Kinerja naik signifikan dengan desain lain, atau tanpa data IKM → **lanjutkan**.\n"
              "7. Pengetahuan naik, tetapi kinerja tidak berubah signifikan padahal datanya cukup → **perbaiki**: "
              "pembelajaran tidak sampai ke tempat kerja.\n"
              "8. Pengetahuan naik signifikan, kinerja belum dapat dinilai → **lanjutkan**.\n"
              "9. Nol yang presisi pada pengetahuan → **perbaiki**.\n"
              "10. Tidak ada kenaikan signifikan padahal datanya cukup untuk mendeteksi efek sedang (d_z = {target} "
              "dengan power 80%: sedikitnya {nreq} pasangan) → **perbaiki**.\n"
              "11. Selain itu → **data belum cukup**: hasil tidak signifikan pada data yang terlalu sedikit "
              "(*underpowered*, kurang dari {nreq} pasangan) bukan bukti bahwa program tidak berpengaruh.\n\n"
              "Reaksi peserta (L1) ditampilkan tetapi tidak ikut menentukan: kepuasan peserta hanya lemah "
              "hubungannya dengan pembelajaran dan perilaku kerja (Alliger dkk., 1997). Tingkat tanpa data ditulis "
              "“tidak ada data”, tidak pernah sebagai kegagalan. Rekomendasi adalah saran; rapat evaluasi yang "
              "memutuskan, dan keputusannya dicatat (tidak dapat diubah, tercatat di log audit) untuk dibandingkan "
              "pada periode berikutnya. Administrator dapat mengubah aturan; halaman Tindak Lanjut menampilkan "
              "aturan yang sedang berlaku.",
        "en": "The Follow-up page puts one row per program with the four Kirkpatrick levels, and rules give a "
              "recommendation: **continue**, **expand**, **revise**, **stop** or **not enough data**. The rules are "
              "read in order; the first whose conditions all hold decides, and its reasons are always shown with "
              "their numbers. The default rules, in order:\n\n"
              "1. Fewer than {pairs} before/after pairs on knowledge (L2) **and** performance (L3) → **not enough "
              "data**. Even with {pairs} pairs the smallest detectable effect is d_z = {mde_min}, a very large "
              "effect.\n"
              "2. Performance, then knowledge, **fell** significantly after correction (at least {pairs} pairs) → "
              "**stop**: the program does harm.\n"
              "3. A **precise null** on knowledge and performance → **stop**. A precise null means the whole 95% CI "
              "of the effect size lies inside the negligible band, −{band} to {band} (Cohen's limit of a “small” "
              "effect): there are enough data to say that the effect, if any, is smaller than small. It takes many "
              "data: even when the mean change is exactly zero, the CI fits in that band only from {precise} "
              "pairs.\n"
              "4. A precise null on performance alone → **revise**: the program does not yet change how people "
              "work.\n"
              "5. Performance rose significantly **against a comparison group** (difference in differences) and "
              "the IKM of the participants' units (L4) did not fall → **expand**: only the strongest evidence "
              "justifies scaling up.\n"
              "6. Performance rose significantly under another design, or without IKM data → **continue**.\n"
              "7. Knowledge rose, but performance did not change significantly although there were enough data → "
              "**revise**: the learning does not reach the workplace.\n"
              "8. Knowledge rose significantly, performance cannot be judged yet → **continue**.\n"
              "9. A precise null on knowledge → **revise**.\n"
              "10. No significant gain although the data could detect a medium effect (d_z = {target} with 80% "
              "power: at least {nreq} pairs) → **revise**.\n"
              "11. Otherwise → **not enough data**: a non-significant result on too few data (*underpowered*, "
              "fewer than {nreq} pairs) is no evidence that the program has no effect.\n\n"
              "Participants' reaction (L1) is shown but does not decide: satisfaction with a training is only "
              "weakly related to learning and to behaviour at work (Alliger et al., 1997). A level without data "
              "reads “no data”, never a failure. A recommendation is advice; the evaluation meeting decides, and "
              "its decision is recorded (unchangeable, in the audit log) to be compared in the next period. "
              "Administrators may edit the rules; the Follow-up page shows the rules in force."},
}


def _grade_rows() -> list[dict[str, str]]:
    """The grade bands of ``analysis.voice.ikm.GRADE_BANDS`` as table rows, best grade first."""
    language = lang()
    bands = [(float(limit), letter) for limit, letter in GRADE_BANDS]
    rows = []
    lower = None
    for limit, letter in bands:
        text = (tr(STRINGS, "grade.below", hi=num(limit, 2)) if lower is None
                else tr(STRINGS, "grade.between", lo=num(lower, 2), hi=num(limit, 2)))
        rows.append({"grade": letter, "range": text})
        lower = limit
    top = next(g for g in "ABCD" if g not in {letter for _, letter in bands})
    rows.append({"grade": top, "range": tr(STRINGS, "grade.above", lo=num(lower, 2))})
    return [{tr(STRINGS, "grade.col"): r["grade"], tr(STRINGS, "grade.range"): r["range"],
             tr(STRINGS, "grade.meaning"): GRADE_LABELS[language][r["grade"]]} for r in reversed(rows)]


def render() -> None:
    require(MIN_ROLE)
    target = integer(get_settings().jp_target)
    st.title(tr(STRINGS, "title"))
    st.markdown(tr(STRINGS, "intro"))

    st.subheader(tr(STRINGS, "kirkpatrick.h"))
    st.markdown(tr(STRINGS, "kirkpatrick"))
    st.subheader(tr(STRINGS, "change.h"))
    st.markdown(tr(STRINGS, "change"))
    st.subheader(tr(STRINGS, "tests.h"))
    st.markdown(tr(STRINGS, "tests"))
    st.subheader(tr(STRINGS, "primary.h"))
    st.markdown(tr(STRINGS, "primary", tmin=integer(T_TEST_MIN_N), alpha=num(ALPHA, 2),
                   exact=integer(EXACT_WILCOXON_BELOW)))
    st.subheader(tr(STRINGS, "design.h"))
    st.markdown(tr(STRINGS, "design", clusters=integer(MIN_CLUSTERS), min_comp=integer(SMALL_N)))
    st.subheader(tr(STRINGS, "small.h"))
    st.markdown(tr(STRINGS, "small", nz=integer(MIN_NONZERO), small=integer(SMALL_N), dz=num(TARGET_DZ, 1),
                   power=pct(POWER), nreq=integer(n_required(TARGET_DZ))))
    st.subheader(tr(STRINGS, "counting.h"))
    st.markdown(tr(STRINGS, "counting"))
    st.subheader(tr(STRINGS, "multiple.h"))
    st.markdown(tr(STRINGS, "multiple"))
    st.subheader(tr(STRINGS, "ikm.h"))
    st.markdown(tr(STRINGS, "ikm"))
    st.latex(r"\mathrm{IKM} = 25 \times \sum_{i=1}^{9} \mathrm{NRR}_i \times \tfrac{1}{9}")
    st.markdown(tr(STRINGS, "ikm.after"))
    st.table(_grade_rows())
    st.markdown(tr(STRINGS, "ikm.sample", k100=integer(krejcie_morgan(100)), k1000=integer(krejcie_morgan(1000)),
                   k10000=integer(krejcie_morgan(10000)), small=integer(SMALL_SAMPLE)))
    st.subheader(tr(STRINGS, "jp.h", target=target))
    st.markdown(tr(STRINGS, "jp", target=target))
    st.subheader(tr(STRINGS, "skp.h"))
    st.markdown(tr(STRINGS, "skp"))
    st.subheader(tr(STRINGS, "followup.h"))
    st.markdown(tr(STRINGS, "followup", pairs=integer(MIN_PAIRS), mde_min=num(float(min_detectable_dz(MIN_PAIRS)), 2),
                   band=num(NEGLIGIBLE, 1), precise=integer(precise_null_pairs(NEGLIGIBLE)), target=num(TARGET_DZ, 1),
                   nreq=integer(n_required(TARGET_DZ))))
