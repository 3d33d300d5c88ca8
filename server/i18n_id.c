/*
 * i18n_id.c: every text of the web pages in Bahasa Indonesia, the default language. Keys are
 * enum msg (pages.h), shared by all catalogues; a unit test checks that
 * none is missing. Texts are plain: the pages escape them (html.c).
 */
#include "server/pages.h"

const char *const i18n_id[M_MAX] = {
	[M_ATTACHMENTS] = "Lampiran",
	[M_BACK_HOME] = "Kembali ke beranda",
	[M_BY] = "oleh",
	[M_DOWNLOAD] = "Unduh",
	[M_DUE] = "Tenggat",
	[M_ERR_400] =
	    "Permintaan ini tidak dapat dibaca. Muat ulang halaman dan "
	    "coba lagi.",
	[M_ERR_401] = "Silakan masuk atau periksa token Anda.",
	[M_ERR_403] =
	    "Permintaan ini ditolak. Muat ulang halaman lalu kirim lagi "
	    "dari halaman ini.",
	[M_ERR_404] = "Halaman ini tidak ada.",
	[M_ERR_405] = "Halaman ini tidak menerima cara permintaan tersebut.",
	[M_ERR_413] = "Kiriman terlalu besar. Perkecil lampiran atau teks.",
	[M_ERR_415] = "Formulir dikirim dalam bentuk yang tidak dikenal.",
	[M_ERR_429] =
	    "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
	[M_ERR_503] = "Server sedang sibuk. Coba lagi sebentar lagi.",
	[M_ERR_507] =
	    "Server tidak dapat menyimpan apa pun saat ini; tidak ada "
	    "yang disimpan. Coba lagi nanti.",
	[M_ERR_TITLE] = "Ada masalah",
	[M_ESCROW_FP_CHECK] =
	    "Sebelum memberikan identitas, cocokkan sidik jari ini dengan "
	    "yang diumumkan instansi di tempat yang tidak dikuasai server "
	    "ini: situs web resminya dan poster cetaknya. Jika berbeda, "
	    "jangan berikan identitas Anda di sini. bisik submit "
	    "--escrow-fingerprint memeriksanya untuk Anda.",
	[M_ESCROW_FP_LABEL] = "Sidik jari kunci penitipan identitas:",
	[M_EV_ATTACHMENT] = "Lampiran ditambahkan",
	[M_EV_MESSAGE] = "Pesan",
	[M_EV_NOTE] = "Catatan",
	[M_EV_PUBLISHED] = "Dipublikasikan",
	[M_EV_RESPOND] = "Tanggapan",
	[M_EV_STATUS] = "Status berubah",
	[M_EV_TOKEN_ROTATED] = "Token diganti",
	[M_E_TOO_MANY_PHOTOS] =
	    "Paling banyak {1} foto penyelesaian menyertai satu penyelesaian; "
	    "unggah yang lain dulu sebagai bukti lalu centang.",
	[M_E_ATTACHMENT_LIMIT] =
	    "Laporan ini sudah memuat lampiran sebanyak yang diizinkan.",
	[M_E_CASE_CLOSED] =
	    "Laporan ini tidak lagi menerima pesan atau lampiran.",
	[M_E_CONFLICT] =
	    "Tindakan ini tidak dapat dilakukan pada status laporan saat "
	    "ini.",
	[M_E_FORBIDDEN] = "Peran Anda tidak boleh melakukan ini.",
	[M_E_IDENTITY_UNAVAILABLE] =
	    "Server belum dapat menerima identitas. Kirim tanpa identitas "
	    "atau coba lagi nanti.",
	[M_E_IMAGE_TOO_LARGE] = "Gambar memiliki terlalu banyak piksel.",
	[M_E_INVALID] = "Beberapa isian belum benar:",
	[M_E_INVALID_IMAGE] = "Gambar tidak dapat dibaca.",
	[M_E_IMAGE_UNPROCESSABLE] =
	    "Gambar tidak dapat diproses; coba berkas lain.",
	[M_E_MALFORMED] =
	    "Isian dikirim dalam bentuk yang tidak dapat dibaca.",
	[M_E_NOT_FOUND] = "Tidak ditemukan.",
	[M_E_NO_ENROLLMENT] =
	    "Tidak ada pendaftaran dua faktor yang menunggu, atau sudah "
	    "kedaluwarsa. Mulai lagi.",
	[M_E_STORAGE_FULL] =
	    "Server tidak dapat menyimpan apa pun saat ini; tidak ada "
	    "yang disimpan. Coba lagi nanti.",
	[M_E_TOO_LARGE] = "Berkas terlalu besar.",
	[M_E_TOO_SOON] =
	    "Formulir dikirim terlalu cepat setelah dibuka. Periksa isian "
	    "Anda, tunggu beberapa detik, lalu kirim lagi.",
	[M_E_TOTP_ENROLLED] =
	    "Dua faktor sudah diatur untuk akun ini; administrator "
	    "pengguna dapat mengaturnya ulang.",
	[M_E_TOTP_ENROLMENT_REQUIRED] =
	    "Atur masuk dua faktor terlebih dahulu, lalu masuk kembali.",
	[M_E_TOTP_REQUIRED] =
	    "Masukkan kode dari aplikasi autentikator Anda (atau kode "
	    "pemulihan).",
	[M_E_UNAUTHORIZED] =
	    "Token atau sesi tidak valid. Periksa token Anda, atau masuk "
	    "kembali.",
	[M_E_UNSUPPORTED_TYPE] =
	    "Hanya gambar JPEG, PNG, WebP, dokumen PDF, dan berkas teks "
	    "yang diterima.",
	[M_FOOT] =
	    "Bisik tidak menyimpan alamat IP, peramban, atau token Anda. "
	    "Halaman ini tidak memuat apa pun dari situs lain.",
	[M_FROM] = "Dari",
	[M_FROM_STAFF] = "Petugas",
	[M_FROM_YOU] = "Anda",
	[M_F_ACTION] = "Tindakan",
	[M_F_AGENCY] = "Instansi",
	[M_F_ATTACHMENTS] = "Lampiran bukti",
	[M_F_BODY] = "Isi laporan",
	[M_F_CATEGORY] = "Kategori",
	[M_F_CODE] = "Kode",
	[M_F_COMMENT] = "Komentar (opsional)",
	[M_F_FILE] = "Lampiran",
	[M_F_FILE_ONE] = "Satu berkas",
	[M_F_IDENTITY] = "Identitas (opsional)",
	[M_F_ID_ADDRESS] = "Alamat",
	[M_F_ID_EMAIL] = "E-mail",
	[M_F_ID_NAME] = "Nama",
	[M_F_ID_NIK] = "NIK",
	[M_F_ID_PHONE] = "Nomor telepon",
	[M_F_INTO] = "Gabungkan ke laporan nomor",
	[M_F_KIND] = "Jenis",
	[M_F_LIAISON] = "Pejabat penghubung (nama pengguna)",
	[M_F_LOCATION] = "Lokasi (opsional)",
	[M_F_NOTE] = "Catatan",
	[M_F_OCCURRED_ON] = "Tanggal kejadian (opsional)",
	[M_F_PASSWORD] = "Kata sandi",
	[M_F_POW] = "Pemeriksaan antispam",
	[M_F_RATING] = "Penilaian",
	[M_F_REASON] = "Alasan",
	[M_F_REDACTIONS] = "Penyamaran",
	[M_F_RESOLUTION] = "Penyelesaian",
	[M_F_TITLE] = "Judul",
	[M_F_VISIBILITY] = "Visibilitas",
	[M_HOME_CTA_LAPOR] = "Buat laporan",
	[M_HOME_CTA_PANTAU] = "Pantau laporan dengan token",
	[M_HOME_HOW_1] =
	    "Anda menulis laporan dan menyimpan token yang ditampilkan "
	    "sekali.",
	[M_HOME_HOW_2] =
	    "Admin pusat memeriksa laporan dan meneruskannya ke instansi "
	    "yang berwenang dalam 3 hari kerja.",
	[M_HOME_HOW_3] =
	    "Instansi menerima laporan, menunjuk pejabat penghubung, "
	    "menanggapi, dan menyelesaikannya.",
	[M_HOME_HOW_4] =
	    "Anda mengikuti setiap langkah dengan token, membalas pesan, "
	    "dan menilai penyelesaiannya, atau membukanya kembali dalam "
	    "14 hari.",
	[M_HOME_HOW_H] = "Cara kerjanya",
	[M_HOME_LEAD] =
	    "Bisik adalah saluran pengaduan dan aspirasi publik kepada "
	    "instansi pemerintah. Anda dapat melapor tanpa nama, dan "
	    "memantau tindak lanjutnya hanya dengan sebuah token.",
	[M_HOME_SAFE_1] =
	    "Halaman ini bekerja tanpa JavaScript, juga di Tor Browser "
	    "pada tingkat \"Safest\".",
	[M_HOME_SAFE_2] =
	    "Jangan menulis nama Anda atau nama orang lain di judul atau "
	    "isi jika Anda ingin tetap anonim.",
	[M_HOME_SAFE_3] =
	    "Foto dapat memuat lokasi: instansi hanya menerima salinan "
	    "gambar tanpa metadata.",
	[M_HOME_SAFE_H] = "Tips keamanan",
	[M_HOME_SECRET_1] =
	    "Tanpa identitas, laporan Anda sepenuhnya anonim: server "
	    "tidak menyimpan alamat IP, jenis peramban, atau apa pun "
	    "tentang Anda.",
	[M_HOME_SECRET_2] =
	    "Jika Anda memberi identitas, identitas itu langsung dikunci. "
	    "Server sendiri tidak dapat membukanya; hanya beberapa admin "
	    "pusat bersama-sama, dengan izin yang tercatat, yang dapat "
	    "membukanya, dan Anda akan diberi tahu di halaman pantau.",
	[M_HOME_SECRET_3] =
	    "Instansi yang menangani hanya melihat teks yang disamarkan: "
	    "e-mail, nomor telepon, NIK, nomor rekening, dan sejenisnya "
	    "ditutup.",
	[M_HOME_SECRET_4] =
	    "Token adalah satu-satunya kunci ke laporan Anda. Kami tidak "
	    "dapat memulihkannya; siapa pun yang memegangnya dapat "
	    "membaca laporan Anda.",
	[M_HOME_SECRET_5] =
	    "Laporan yang Anda tandai publik dapat ditampilkan setelah "
	    "selesai, dalam bentuk yang disamarkan.",
	[M_HOME_SECRET_H] = "Apa yang tetap rahasia, dan dari siapa",
	[M_HOME_TITLE] = "Lapor tanpa takut",
	[M_INTERNAL] = "(internal)",
	[M_KIND_ASPIRATION] = "Aspirasi",
	[M_KIND_COMPLAINT] = "Pengaduan",
	[M_KIND_INFORMATION_REQUEST] = "Permintaan informasi",
	[M_LANG_OTHER] = "English",
	[M_LAPOR_AGENCY_HELP] =
	    "Jika Anda tahu instansi yang berwenang, pilih di sini; admin "
	    "pusat akan memastikannya.",
	[M_LAPOR_BODY_HELP] =
	    "20 sampai 20.000 karakter. Tulis apa yang terjadi, di mana, "
	    "dan kapan.",
	[M_LAPOR_FILE_HELP] =
	    "Opsional. JPEG, PNG, WebP, PDF, atau teks; paling besar {1} "
	    "MB. Lampiran lain dapat ditambahkan di halaman pantau.",
	[M_LAPOR_ID_ANON] =
	    "Anda boleh mengosongkan bagian ini: laporan tanpa identitas "
	    "tetap ditindaklanjuti.",
	[M_LAPOR_ID_TOLD] =
	    "Setiap pembukaan identitas dicatat, dan Anda akan melihatnya "
	    "di halaman pantau. Petugas instansi tidak pernah melihat "
	    "identitas Anda.",
	[M_LAPOR_ID_UNAVAILABLE] =
	    "Server ini belum dapat menerima identitas. Anda tetap dapat "
	    "melapor tanpa identitas.",
	[M_LAPOR_ID_WHO] =
	    "Jika diisi, identitas langsung dikunci dengan kunci yang "
	    "tidak dimiliki server. Hanya {1} dari {2} admin pusat, "
	    "bersama-sama dan dengan alasan serta dasar hukum yang "
	    "tercatat, yang dapat membukanya.",
	[M_LAPOR_INTRO] =
	    "Isian bertanda * wajib. Setelah mengirim, Anda mendapat "
	    "nomor laporan dan token. Simpan token itu: hanya dengan "
	    "token Anda dapat memantau laporan.",
	[M_LAPOR_SUBMIT] = "Kirim laporan",
	[M_LAPOR_TITLE] = "Buat laporan",
	[M_LAPOR_TITLE_HELP] = "5 sampai 200 karakter.",
	[M_LAPOR_VIS_HELP] =
	    "Laporan rahasia tidak pernah ditampilkan kepada publik. "
	    "Laporan publik dapat ditampilkan setelah selesai, dalam "
	    "bentuk yang disamarkan.",
	[M_LAPOR_WAIT] =
	    "Tanpa JavaScript, formulir ini dapat dikirim paling cepat "
	    "{1} detik setelah dibuka (perlindungan dari spam, tanpa "
	    "melacak Anda).",
	[M_LAPOR_WHAT] = "Laporan Anda",
	[M_LEVEL_KABUPATEN] = "Kabupaten",
	[M_LEVEL_KEMENTERIAN] = "Kementerian",
	[M_LEVEL_KOTA] = "Kota",
	[M_LEVEL_LEMBAGA] = "Lembaga",
	[M_LEVEL_OTHER] = "Lainnya",
	[M_LEVEL_PROVINSI] = "Provinsi",
	[M_NAV_LAPOR] = "Lapor",
	[M_NAV_MAIN] = "Menu utama",
	[M_NAV_PANTAU] = "Pantau",
	[M_NAV_PUBLIK] = "Laporan publik",
	[M_NAV_STAF] = "Masuk untuk petugas",
	[M_NAV_STATISTIK] = "Statistik",
	[M_NEXT_PAGE] = "Halaman berikutnya",
	[M_NOT_YET] = "belum ditentukan",
	[M_NO_DATA] = "Belum ada data.",
	[M_OPT_NONE] = "— tidak dipilih —",
	[M_OVERDUE] = "terlambat",
	[M_PANTAU_ATTACHED] = "Lampiran terkirim.",
	[M_PANTAU_CASE] = "Laporan",
	[M_PANTAU_DISCLOSED] =
	    "Identitas Anda pada laporan ini telah dibuka atas izin "
	    "beberapa admin pusat. Berikut catatannya:",
	[M_PANTAU_DISCLOSED_H] = "Pemberitahuan pembukaan identitas",
	[M_PANTAU_EVIDENCE_H] = "Tambah bukti",
	[M_PANTAU_INTRO] =
	    "Masukkan token yang Anda terima saat melapor. Token dikirim "
	    "secara tersembunyi, tidak pernah di alamat halaman.",
	[M_PANTAU_MERGED] = "Laporan ini digabungkan ke laporan",
	[M_PANTAU_MESSAGES] = "Pesan",
	[M_PANTAU_NEWTOKEN] = "Token baru Anda",
	[M_PANTAU_NEWTOKEN_WARN] =
	    "Token lama sudah tidak berlaku. Simpan token baru ini "
	    "sekarang; token ini hanya ditampilkan sekali.",
	[M_PANTAU_NO_MESSAGES] = "Belum ada pesan.",
	[M_PANTAU_OPEN] = "Buka laporan",
	[M_PANTAU_RATED] =
	    "Terima kasih. Penilaian Anda tersimpan dan laporan ditutup.",
	[M_PANTAU_RATE_H] = "Nilai penyelesaian",
	[M_PANTAU_RATE_INTRO] =
	    "Jika penyelesaian ini memadai, beri nilai; laporan lalu "
	    "ditutup.",
	[M_PANTAU_RATE_SEND] = "Kirim penilaian",
	[M_PANTAU_REOPENED] =
	    "Laporan dibuka kembali dan dikembalikan ke instansi.",
	[M_PANTAU_REOPEN_H] = "Buka kembali",
	[M_PANTAU_REOPEN_INTRO] =
	    "Jika penyelesaian belum menyelesaikan masalah, jelaskan "
	    "alasannya (dalam 14 hari setelah penyelesaian).",
	[M_PANTAU_REOPEN_SEND] = "Buka kembali laporan",
	[M_PANTAU_REPLY] = "Pesan Anda",
	[M_PANTAU_REPLY_H] = "Kirim pesan",
	[M_PANTAU_ROTATE_H] = "Ganti token",
	[M_PANTAU_ROTATE_INTRO] =
	    "Jika Anda khawatir orang lain melihat token Anda, ganti "
	    "sekarang. Token lama langsung tidak berlaku.",
	[M_PANTAU_ROTATE_SEND] = "Ganti token",
	[M_PANTAU_SENT] = "Pesan terkirim.",
	[M_PANTAU_TIMELINE] = "Riwayat",
	[M_PANTAU_TITLE] = "Pantau laporan",
	[M_PANTAU_TOKEN] = "Token",
	[M_PANTAU_TOKEN_HELP] =
	    "32 huruf dan angka; tanda hubung dan spasi boleh diketik "
	    "atau tidak.",
	[M_POW_DONE] = "Pemeriksaan antispam selesai; formulir siap dikirim.",
	[M_POW_WORKING] = "Menyelesaikan pemeriksaan antispam, mohon tunggu…",
	[M_PUBLIK_INTRO] =
	    "Laporan publik yang telah selesai, dengan penyelesaian dan "
	    "buktinya, dalam bentuk yang disamarkan.",
	[M_PUBLIK_SEARCH] = "Cari",
	[M_PUBLIK_SEARCH_SEND] = "Cari",
	[M_PUBLIK_TITLE] = "Laporan publik",
	[M_RCPT_ATTACH_FAILED] =
	    "Laporan Anda tersimpan, tetapi lampirannya tidak. Anda dapat "
	    "menambahkannya di halaman pantau.",
	[M_RCPT_CASE] = "Nomor laporan",
	[M_RCPT_DOWNLOAD] = "Unduh bukti pengiriman",
	[M_RCPT_FOLLOW] = "Pantau laporan sekarang",
	[M_RCPT_NEXT] = "Nanti, buka halaman Pantau dan masukkan token Anda.",
	[M_RCPT_NEXT_H] = "Pantau laporan",
	[M_RCPT_PROOF] =
	    "Bukti bertanda tangan server bahwa laporan ini diterima pada "
	    "waktu tersebut. Bukti tidak memuat token atau identitas "
	    "Anda.",
	[M_RCPT_PROOF_H] = "Bukti pengiriman",
	[M_RCPT_TITLE] = "Laporan terkirim",
	[M_RCPT_TOKEN] = "Token Anda",
	[M_RCPT_WARN] =
	    "Token ini hanya ditampilkan sekali dan tidak dapat "
	    "dipulihkan. Salin dengan tangan atau simpan di tempat aman. "
	    "Siapa pun yang memegangnya dapat membaca laporan Anda.",
	[M_RCPT_WARN_H] = "Simpan token ini sekarang.",
	[M_RJ_INCOMPLETE] = "Laporan belum lengkap",
	[M_RJ_NOT_A_COMPLAINT] = "Bukan pengaduan",
	[M_RJ_NOT_OUR_AUTHORITY] = "Bukan kewenangan",
	[M_ROLE_AGENCY_ADMIN] = "admin instansi",
	[M_ROLE_AUDITOR] = "auditor",
	[M_ROLE_CENTRAL_ADMIN] = "admin pusat",
	[M_ROLE_LIAISON] = "pejabat penghubung",
	[M_ROLE_REPORTER] = "pelapor",
	[M_ROLE_SYSTEM] = "sistem",
	[M_R_ALREADY_USED] = "sudah dipakai; kirim ulang formulir",
	[M_R_EXPIRED] = "kedaluwarsa; kirim ulang formulir",
	[M_R_INVALID] = "tidak valid",
	[M_R_OUT_OF_RANGE] = "di luar batas",
	[M_R_REQUIRED] = "wajib diisi",
	[M_R_TOO_LONG] = "terlalu panjang",
	[M_R_TOO_SHORT] = "terlalu pendek",
	[M_R_TOO_SOON] = "terlalu cepat",
	[M_R_UNKNOWN] = "tidak dikenal",
	[M_R_WRONG] = "salah",
	[M_SEND] = "Kirim",
	[M_SIZE] = "Ukuran",
	[M_SKIP] = "Langsung ke isi",
	[M_STAF_ACTIONS] = "Tindakan",
	[M_STAF_ADMIN_OFFLINE] =
	    "Akun petugas dan instansi dikelola di server dengan perintah "
	    "\"bisikd user\" dan \"bisikd agency\"; halaman ini menampilkan "
	    "direktori instansi.",
	[M_STAF_AGENCIES] = "Instansi",
	[M_STAF_ALL] = "Semua",
	[M_STAF_AUDITOR] =
	    "Auditor tidak melihat isi laporan. Gunakan jejak audit dan "
	    "statistik.",
	[M_STAF_BYTES] = "Panjang (byte, untuk rentang)",
	[M_STAF_DISCLOSE] =
	    "Identitas hanya dapat dibuka dengan \"bisik disclose\" di "
	    "komputer admin sendiri, oleh beberapa admin pusat "
	    "bersama-sama; tidak pernah lewat halaman web.",
	[M_STAF_DONE] = "Tersimpan.",
	[M_STAF_EMPTY] = "Tidak ada laporan di antrean ini.",
	[M_STAF_EXPIRES] = "Berakhir",
	[M_STAF_IDENTITY_NONE] = "tidak ada",
	[M_STAF_IDENTITY_ON_FILE] = "ada (terkunci)",
	[M_STAF_INTERNAL_NOTE] =
	    "Catatan internal (tidak terlihat oleh pelapor)",
	[M_STAF_LAST_SEEN] = "Terakhir aktif",
	[M_STAF_LEVEL] = "Tingkat",
	[M_STAF_LOGIN] = "Masuk petugas",
	[M_STAF_LOGIN_SEND] = "Masuk",
	[M_STAF_LOGOUT] = "Keluar",
	[M_STAF_MESSAGE] = "Pesan kepada pelapor",
	[M_STAF_MESSAGE_H] = "Kirim pesan",
	[M_STAF_NAME] = "Nama",
	[M_STAF_NAV] = "Menu petugas",
	[M_STAF_NEW] = "baru",
	[M_STAF_ONLY_OVERDUE] = "Hanya yang terlambat",
	[M_STAF_ORIGINAL] = "Teks asli",
	[M_STAF_ORIGINAL_FILE] = "asli",
	[M_STAF_PARENT] = "Induk",
	[M_STAF_PHRASES] = "Frasa yang disamarkan",
	[M_STAF_PHRASES_HELP] =
	    "Satu frasa per baris; disamarkan di judul dan isi.",
	[M_STAF_QUEUE] = "Antrean",
	[M_STAF_QUEUE_CAPTION] = "Laporan menurut tenggat",
	[M_STAF_RECOVERY] =
	    "Simpan kode-kode ini di tempat aman. Masing-masing dapat "
	    "dipakai sekali jika ponsel Anda hilang; kode ini tidak "
	    "ditampilkan lagi.",
	[M_STAF_RECOVERY_H] = "Kode pemulihan",
	[M_STAF_REDACTED] = "Yang dilihat instansi",
	[M_STAF_REVIEW] = "Tinjauan penyamaran",
	[M_STAF_REVOKE] = "Akhiri",
	[M_STAF_SEARCH] = "Cari di judul",
	[M_STAF_SESSIONS] = "Sesi",
	[M_STAF_SESSIONS_INTRO] =
	    "Sesi yang sedang aktif untuk akun Anda. Akhiri sesi yang "
	    "tidak Anda kenal.",
	[M_STAF_SIGNED_IN] = "Masuk",
	[M_STAF_SOURCE] = "Sumber",
	[M_STAF_SPANS] = "Rentang yang disamarkan (opsional)",
	[M_STAF_SPANS_HELP] =
	    "Posisi byte pada teks yang dilihat instansi, misalnya "
	    "\"10-25, 40-52\".",
	[M_STAF_THIS_SESSION] = "sesi ini",
	[M_STAF_TOTP] = "Kode dua faktor",
	[M_STAF_TOTP_CONFIRM] = "Konfirmasi",
	[M_STAF_TOTP_HELP] =
	    "Jika akun Anda memakai dua faktor: kode 6 angka dari "
	    "aplikasi, atau kode pemulihan.",
	[M_STAF_TOTP_INTRO] =
	    "Masuk dua faktor melindungi akun Anda jika kata sandi bocor. "
	    "Anda memerlukan aplikasi autentikator di ponsel.",
	[M_STAF_TOTP_SCAN] =
	    "Pindai kode ini dengan aplikasi autentikator, lalu masukkan "
	    "kode yang ditampilkannya dalam 10 menit.",
	[M_STAF_TOTP_SECRET] = "Atau ketik kunci ini:",
	[M_STAF_TOTP_SETUP] = "Dua faktor",
	[M_STAF_TOTP_START] = "Mulai pengaturan",
	[M_STAF_USERNAME] = "Nama pengguna",
	[M_STATUS] = "Status",
	[M_STAT_AUDIT] =
	    "Setiap tindakan petugas dicatat dalam rantai hash. Kepala "
	    "rantai di bawah ini berubah bila ada catatan baru; jika "
	    "riwayat ditulis ulang, kepala ini tidak lagi cocok.",
	[M_STAT_AUDIT_H] = "Jejak audit",
	[M_STAT_AUDIT_HASH] = "Hash kepala",
	[M_STAT_AUDIT_NONE] = "Jejak audit belum memuat catatan.",
	[M_STAT_AUDIT_SEQ] = "Jumlah catatan",
	[M_STAT_INTRO] =
	    "Angka per instansi. Angka dari kurang dari {1} laporan tidak "
	    "ditampilkan, agar tidak ada pelapor yang dapat dikenali.",
	[M_STAT_MEDIAN] = "Median hari sampai selesai",
	[M_STAT_ONTIME] = "Tepat waktu",
	[M_STAT_RECEIVED] = "Diterima",
	[M_STAT_RESOLVED] = "Selesai",
	[M_STAT_TABLE] = "Angka per instansi",
	[M_STAT_TITLE] = "Statistik",
	[M_STAT_VOLUME] = "Laporan diterima",
	[M_ST_CLOSED] = "Ditutup",
	[M_ST_DISPOSITIONED] = "Diteruskan ke instansi",
	[M_ST_IN_PROGRESS] = "Ditindaklanjuti",
	[M_ST_MERGED] = "Digabungkan",
	[M_ST_REJECTED] = "Ditolak",
	[M_ST_RESOLVED] = "Selesai",
	[M_ST_SUBMITTED] = "Diterima, menunggu verifikasi",
	[M_SUBMITTED_AT] = "Dikirim",
	[M_UPLOAD] = "Unggah",
	[M_VIS_CONFIDENTIAL] = "Rahasia",
	[M_VIS_CONFIDENTIAL_LONG] =
	    "Rahasia: tidak pernah ditampilkan kepada publik",
	[M_VIS_PUBLIC] = "Publik",
	[M_VIS_PUBLIC_LONG] =
	    "Publik: boleh ditampilkan setelah selesai, dalam bentuk "
	    "disamarkan",
	[M_PUBLIK_EVIDENCE] = "Foto bukti penyelesaian",
	[M_STAF_DISCLOSURES] = "Pengungkapan identitas",
	[M_STAF_IDENTITY] = "Identitas",
	[M_STAF_REQUEST] = "Permintaan",
	[M_STAF_APPROVALS] = "Persetujuan",
	[M_STAF_LEGAL_BASIS] = "Dasar hukum",
	[M_ACT_DISPOSE] = "Teruskan ke instansi",
	[M_ACT_REJECT] = "Tolak",
	[M_ACT_MERGE] = "Gabungkan",
	[M_ACT_ACCEPT] = "Terima dan tunjuk penghubung",
	[M_ACT_RETURN] = "Kembalikan ke pusat",
	[M_ACT_RESPOND] = "Tanggapi",
	[M_ACT_RESOLVE] = "Selesaikan",
	[M_ACT_CONFIRM] = "Konfirmasi",
	[M_ACT_REOPEN] = "Buka kembali",
	[M_ACT_CLOSE] = "Tutup",
	[M_ACT_PUBLISH] = "Publikasikan",
	[M_RATE_1] = "sangat tidak puas",
	[M_RATE_2] = "tidak puas",
	[M_RATE_3] = "cukup",
	[M_RATE_4] = "puas",
	[M_RATE_5] = "sangat puas",
	[M_STAF_REVIEW_HELP] =
	    "Teks asli. Yang ditandai disamarkan otomatis. Untuk "
	    "menyamarkan lagi, pilih teksnya lalu tekan \"Samarkan "
	    "pilihan\", atau tulis frasanya di kolom frasa; \"Pratinjau\" "
	    "menunjukkan persis apa yang akan dilihat.",
	[M_STAF_MASK_SELECTION] = "Samarkan pilihan",
	[M_STAF_UNMASK] = "Buka samaran otomatis",
	[M_STAF_UNMASK_HELP] =
	    "Hanya jika instansi membutuhkannya dan itu bukan data diri "
	    "pelapor; tercatat di log audit beserta alasannya.",
	[M_STAF_UNMASK_REASON] = "Alasan membuka samaran",
	[M_UM_OFFICIAL_CONTACT] = "Kontak resmi sebuah kantor",
	[M_UM_PUBLIC_OFFICIAL] = "Nama pejabat dalam tugasnya",
	[M_UM_NEEDED_FOR_FOLLOWUP] = "Diperlukan instansi untuk tindak lanjut",
	[M_UM_NOT_PERSONAL] = "Bukan data pribadi",
	[M_STAF_PREVIEW] = "Pratinjau",
	[M_STAF_PREVIEW_AGENCY] = "Pratinjau: yang akan dilihat instansi",
	[M_STAF_PREVIEW_PUBLIC] = "Pratinjau: yang akan dilihat publik",
	[M_RK_EMAIL] = "email",
	[M_RK_PHONE] = "telepon",
	[M_RK_NIK] = "NIK",
	[M_RK_NPWP] = "NPWP",
	[M_RK_ACCOUNT] = "rekening",
	[M_RK_PLATE] = "plat nomor",
	[M_RK_URL] = "tautan",
	[M_RK_HANDLE] = "akun media sosial",
	[M_RK_NAME] = "nama",
	[M_R_NOT_FOUND] = "tidak ada di teks",
	/* The reporter's and public pages (issue 16). */
	[M_ERR_401_STAFF] =
	    "Silakan masuk kembali: sesi Anda berakhir atau tidak valid.",
	[M_ERR_401_TOKEN] =
	    "Token ini tidak membuka laporan mana pun. Periksa token Anda.",
	[M_E_LOGIN] = "Nama pengguna atau kata sandi salah.",
	[M_E_SESSION] =
	    "Sesi Anda berakhir atau tidak valid. Silakan masuk kembali.",
	[M_E_TOKEN] =
	    "Token ini tidak membuka laporan mana pun. Periksa setiap huruf "
	    "dan angka; jika Anda pernah mengganti token, gunakan yang "
	    "terbaru.",
	[M_E_COUNT] = "Ada {1} isian yang perlu diperbaiki:",
	[M_E_ALREADY_SENT_H] = "Laporan ini sudah terkirim",
	[M_E_ALREADY_SENT] =
	    "Formulir ini sudah dikirim dan laporannya tercatat. Nomor "
	    "laporan dan token ditampilkan sekali, di halaman tanda terima "
	    "setelah pengiriman pertama; halaman itu tidak dapat dibuka "
	    "lagi. Jika Anda menyimpan tokennya, pantau laporan dengan token "
	    "itu. Jika tidak, Anda dapat membuat laporan baru.",
	[M_HOME_SECRET_2K] =
	    "Jika Anda memberi identitas, identitas itu langsung dikunci. "
	    "Server sendiri tidak dapat membukanya; hanya {1} dari {2} admin "
	    "pusat bersama-sama, dengan alasan dan dasar hukum yang tercatat, "
	    "yang dapat membukanya, dan Anda akan diberi tahu di halaman "
	    "pantau.",
	[M_HOME_SECRET_2_NONE] =
	    "Server ini belum dapat menerima identitas: laporan dikirim "
	    "tanpa identitas.",
	[M_HOME_SECRET_6] =
	    "Admin pusat dapat melihat lampiran persis seperti yang Anda "
	    "unggah, termasuk metadata foto (misalnya lokasi dan jenis "
	    "kamera); instansi hanya menerima salinan tanpa metadata.",
	[M_LAPOR_KIND_HELP] =
	    "Pengaduan: layanan publik yang merugikan Anda atau orang lain. "
	    "Aspirasi: saran atau usul perbaikan. Permintaan informasi: "
	    "meminta data atau dokumen publik.",
	[M_LAPOR_TIME_H] = "Berapa lama",
	[M_LAPOR_TIME] =
	    "Admin pusat memeriksa laporan dan meneruskannya ke instansi "
	    "dalam {1} hari kerja. Instansi menerimanya dalam {2} hari kerja, "
	    "lalu menyelesaikannya dalam {3} hari kerja. Hari kerja: Senin "
	    "sampai Jumat, di luar hari libur nasional.",
	[M_LAPOR_AGENCY_FILTER] = "Cari instansi",
	[M_LAPOR_AGENCY_FILTER_HELP] =
	    "Ketik sebagian nama; daftar di bawah lalu hanya menampilkan "
	    "yang cocok.",
	[M_LAPOR_CATEGORY_HELP] =
	    "Pilih yang paling dekat, atau \"Lainnya\" jika tidak ada yang "
	    "cocok.",
	[M_LEVEL_CENTRAL] = "Instansi pusat (kementerian dan lembaga)",
	[M_PANTAU_FILE_HELP] =
	    "Satu berkas setiap kali: JPEG, PNG, WebP, PDF, atau teks, paling "
	    "besar {1} MB. Sebuah laporan dapat memuat paling banyak {2} "
	    "lampiran.",
	[M_PANTAU_PHOTOS_H] = "Foto",
	[M_PANTAU_PHOTO_ALT] = "Foto",
	[M_PANTAU_PHOTO_STAFF] = "dari petugas",
	[M_PANTAU_PHOTO_YOURS] = "dari Anda",
	[M_PANTAU_FACTS_H] = "Laporan Anda",
	[M_PANTAU_RESOLUTION_H] = "Penyelesaian",
	[M_FACT_IDENTITY] = "Identitas",
	[M_FACT_IDENTITY_SEALED] = "diberikan dan dikunci",
	[M_FACT_IDENTITY_NONE] = "tidak ada",
	[M_FACT_RATING] = "Penilaian Anda",
	[M_FACT_RESOLVED_AT] = "Diselesaikan",
	[M_FACT_CLOSED_AT] = "Ditutup",
	[M_FACT_LOCATION] = "Lokasi",
	[M_FACT_OCCURRED_ON] = "Tanggal kejadian",
	[M_FACT_NOT_GIVEN] = "tidak diisi",
	[M_EV_RETURNED] = "Dikembalikan ke admin pusat",
	[M_EV_AUTOMATIC] = "otomatis oleh sistem",
	[M_NEXT_H] = "Apa selanjutnya",
	[M_NEXT_WHO] = "Giliran",
	[M_NEXT_WHO_CENTRAL] = "Admin pusat",
	[M_NEXT_WHO_AGENCY] = "Instansi tujuan",
	[M_NEXT_WHO_LIAISON] = "Pejabat penghubung instansi",
	[M_NEXT_WHO_YOU] = "Anda",
	[M_NEXT_SUBMITTED] =
	    "Admin pusat memeriksa laporan Anda dan meneruskannya ke "
	    "instansi yang berwenang.",
	[M_NEXT_DISPOSITIONED] =
	    "Laporan sudah diteruskan. Instansi menerimanya dan menunjuk "
	    "pejabat penghubung yang menanganinya.",
	[M_NEXT_IN_PROGRESS] =
	    "Instansi sedang menindaklanjuti laporan Anda sampai selesai.",
	[M_NEXT_RESPOND] = "Tanggapan pertama, tenggat",
	[M_NEXT_RESOLVED] =
	    "Instansi menyatakan laporan selesai. Baca penyelesaiannya, lalu "
	    "beri nilai, atau buka kembali laporan jika masalahnya belum "
	    "selesai.",
	[M_NEXT_AUTOCLOSE] = "Ditutup otomatis pada",
	[M_NEXT_CLOSED] = "Laporan ditutup setelah Anda memberi nilai.",
	[M_NEXT_CLOSED_AUTO] =
	    "Laporan ditutup otomatis oleh sistem, 14 hari setelah "
	    "diselesaikan, karena tidak diberi nilai atau dibuka kembali.",
	[M_NEXT_REJECTED] = "Admin pusat tidak meneruskan laporan ini.",
	[M_NEXT_MERGED] =
	    "Laporan ini digabungkan dengan laporan lain tentang hal yang "
	    "sama; tindak lanjutnya mengikuti laporan",
	[M_NEXT_DAYS_LEFT] = "{1} hari kerja lagi",
	[M_NEXT_DAYS_LEFT_1] = "1 hari kerja lagi",
	[M_NEXT_TODAY] = "hari ini",
	[M_NEXT_LATE] = "terlambat {1} hari",
	[M_NEXT_LATE_1] = "terlambat 1 hari",
	[M_DUE_EXPLAIN] =
	    "Tenggat: batas waktu langkah ini, dihitung dalam hari kerja "
	    "(Senin sampai Jumat, di luar hari libur nasional), berakhir "
	    "pukul 23.59 WIB. Jika lewat, laporan ditandai terlambat dan "
	    "admin pusat melihatnya.",
	[M_RCPT_PRINT] = "Buka halaman untuk dicetak",
	[M_RCPT_PRINT_H] = "Tanda terima untuk dicetak",
	[M_RCPT_PRINT_HELP] =
	    "Nomor laporan, token, dan langkah selanjutnya di satu halaman, "
	    "untuk dicetak atau disimpan sebagai PDF. Halaman itu terbuka di "
	    "tab baru; halaman ini tetap ada.",
	[M_RCPT_PRINT_BUTTON] = "Cetak",
	[M_RCPT_PRINT_HOW] =
	    "Cetak atau simpan sebagai PDF dengan menu Cetak peramban "
	    "(Ctrl+P). Simpan kertasnya di tempat aman.",
	[M_RCPT_PROOF_READ] = "Baca bukti pengiriman",
	[M_RCPT_BACK] =
	    "Tombol Kembali tidak akan menampilkan token ini lagi. Catat, "
	    "cetak, atau simpan sebelum meninggalkan halaman ini.",
	[M_RCPT_FP_H] = "Sidik jari kunci identitas",
	[M_RCPT_FP] =
	    "Identitas yang Anda berikan dikunci dengan kunci ini; hanya {1} "
	    "dari {2} admin pusat bersama-sama yang dapat membukanya. "
	    "Cocokkan sidik jarinya dengan yang diumumkan di luar server ini, "
	    "misalnya di situs resmi atau poster pengelola layanan.",
	[M_RCPT_FP_NONE] =
	    "Server ini belum memasang kunci identitas; laporan diterima "
	    "tanpa identitas.",
	[M_BUKTI_TITLE] = "Bukti pengiriman laporan",
	[M_BUKTI_INTRO] =
	    "Server Bisik menandatangani nomor laporan, waktu penerimaan, "
	    "hash isi laporan Anda, hash identitas tersegel Anda jika Anda "
	    "memberikannya, dan kepala log audit pada saat itu. Bukti ini "
	    "tidak memuat token atau identitas Anda.",
	[M_BUKTI_AT] = "Diterima pada",
	[M_BUKTI_HASH] = "Hash isi (BLAKE2b-256, base64)",
	[M_BUKTI_IDHASH] = "Hash identitas tersegel (BLAKE2b-256, base64)",
	[M_BUKTI_AUDIT] = "Kepala log audit saat diterima (entri: hash)",
	[M_BUKTI_SIG] = "Tanda tangan (Ed25519, base64)",
	[M_BUKTI_KEY] = "Kunci tanda terima server",
	[M_BUKTI_VERIFY] =
	    "Siapa pun dapat memeriksa tanda tangan ini dengan kunci tanda "
	    "terima server, yang juga diterbitkan di /api/v1/keys. Hash isi "
	    "berubah jika satu huruf laporan berubah, sehingga bukti ini "
	    "menunjukkan apa yang diterima dan kapan. Kepala audit adalah "
	    "saksi: jika log pernah ditulis ulang, bisik audit verify "
	    "--expect menunjukkan bahwa log tidak lagi melanjutkan kepala "
	    "ini. Unduh versi JSON untuk disimpan atau diperiksa dengan "
	    "perangkat lunak.",
	[M_BUKTI_VALID] =
	    "Tanda tangan ini sah: server memeriksanya sebelum menampilkan "
	    "halaman ini.",
	[M_STAT_SMALL] = "kurang dari {1} laporan",
	[M_STAT_SMALL_WHY] =
	    "\"Kurang dari {1} laporan\": angka dari kurang dari {1} laporan "
	    "tidak ditampilkan, agar tidak ada pelapor yang dapat dikenali.",
	[M_STAT_NONE_DUE] = "—",
	[M_STAT_NONE_DUE_WHY] =
	    "\"—\" pada Tepat waktu: belum ada tenggat yang dipenuhi atau "
	    "terlewat, jadi belum ada yang dapat diukur.",
	[M_STAT_TOTAL] = "Semua instansi",
	[M_STAT_UNASSIGNED] = "Belum ada instansi",
	[M_STAT_PERIOD] = "Periode",
	[M_STAT_PERIOD_ALL] = "Sepanjang waktu",
	[M_STAT_PERIOD_SEND] = "Tampilkan",
	[M_STAT_CATEGORIES] = "Menurut kategori",
	[M_STAT_TABLE_CAT] = "Angka per kategori",
	[M_STAT_SATISFACTION] = "Kepuasan (1–5)",
	[M_STAT_SATISFACTION_WHY] =
	    "Kepuasan: rata-rata penilaian pelapor, dari 1 (sangat tidak "
	    "puas) sampai 5 (sangat puas).",
	[M_PUBLIK_CATEGORY] = "Kategori",
	[M_PUBLIK_ALL] = "Semua kategori",
	[M_PUBLIK_NONE] = "Belum ada laporan yang dipublikasikan.",
	[M_PUBLIK_NONE_Q] =
	    "Tidak ada laporan publik yang cocok dengan pencarian ini. Coba "
	    "kata lain atau hapus pilihan kategori.",
	[M_PUBLIK_FEED] = "Umpan Atom laporan publik (untuk aplikasi pembaca "
	    "umpan)",
	[M_PUBLIK_RESOLVED] = "Diselesaikan",
	[M_PUBLIK_PUBLISHED] = "Dipublikasikan",
	[M_MON_1] = "Januari",
	[M_MON_2] = "Februari",
	[M_MON_3] = "Maret",
	[M_MON_4] = "April",
	[M_MON_5] = "Mei",
	[M_MON_6] = "Juni",
	[M_MON_7] = "Juli",
	[M_MON_8] = "Agustus",
	[M_MON_9] = "September",
	[M_MON_10] = "Oktober",
	[M_MON_11] = "November",
	[M_MON_12] = "Desember",
	[M_WDAY_0] = "Minggu",
	[M_WDAY_1] = "Senin",
	[M_WDAY_2] = "Selasa",
	[M_WDAY_3] = "Rabu",
	[M_WDAY_4] = "Kamis",
	[M_WDAY_5] = "Jumat",
	[M_WDAY_6] = "Sabtu",
	[M_STAF_HOLIDAYS_H] = "Daftar hari libur tahun {1} belum dipasang",
	[M_STAF_HOLIDAYS] =
	    "Tenggat yang jatuh pada tahun {1} kini dihitung seolah tahun "
	    "itu tanpa hari libur. Tambahkan berkas holidays-id-{1}.csv "
	    "(satu baris per hari libur: YYYY-MM-DD,jenis,nama, sesuai "
	    "SKB yang berlaku) ke direktori data bisik (kunci konfigurasi "
	    "holidays_dir; bawaannya share/bisik di tempat bisik "
	    "dipasang), atau cantumkan tanggalnya pada kunci konfigurasi "
	    "holidays, lalu mulai ulang bisikd. Tidak perlu membangun "
	    "ulang program.",
	[M_F_CHANNEL] = "Saluran",
	[M_CH_WEB] = "Situs web",
	[M_CH_SOCIAL_MEDIA] = "Media sosial",
	[M_CH_PHONE] = "Telepon",
	[M_CH_LETTER] = "Surat",
	[M_CH_WALK_IN] = "Datang langsung",
	[M_CH_EMAIL] = "Surel",
	[M_Q_FILTERS] = "Saring antrean",
	[M_Q_FROM] = "Masuk sejak",
	[M_Q_TO] = "Masuk sampai",
	[M_Q_ANY] = "— semua —",
	[M_Q_APPLY] = "Terapkan",
	[M_Q_CLEAR] = "Hapus saringan",
	[M_Q_PREV] = "Halaman sebelumnya",
	[M_Q_PAGES] = "Halaman antrean",
	[M_Q_TOTAL] = "Dalam antrean ini: {1} laporan, {2} terlambat.",
	[M_Q_SHOWING] = "Menampilkan laporan {1}–{2}.",
	[M_Q_FILTERED] = "Saringan aktif: jumlah di atas belum disaring.",
	[M_Q_SELECT] = "Pilih",
	[M_Q_SELECT_ALL] = "Pilih semua di halaman ini",
	[M_Q_BULK_H] = "Untuk laporan yang dipilih",
	[M_Q_BULK_FORWARD_HELP] =
	    "Centang laporan berstatus Baru di tabel, pilih instansi "
	    "tujuan, lalu teruskan. Laporan yang tidak bisa diteruskan "
	    "tidak diubah; hasil tiap laporan ditampilkan.",
	[M_Q_BULK_ASSIGN_HELP] =
	    "Centang laporan berstatus Didisposisikan di tabel, pilih "
	    "pejabat penghubung, lalu tugaskan. Laporan yang tidak bisa "
	    "ditugaskan tidak diubah; hasil tiap laporan ditampilkan.",
	[M_Q_BULK_FORWARD] = "Teruskan yang dipilih",
	[M_Q_BULK_ASSIGN] = "Tugaskan yang dipilih",
	[M_Q_BULK_RESULT_H] = "Hasil per laporan",
	[M_Q_BULK_RESULT] = "Hasil",
	[M_Q_BULK_OK] = "Selesai",
	[M_Q_BULK_FAIL] = "Tidak diubah",
	[M_Q_BULK_SUMMARY] = "{1} berhasil, {2} tidak diubah.",
	[M_Q_BULK_NONE] = "Tidak ada laporan yang dipilih. Centang laporan di tabel "
	    "antrean.",
	[M_Q_BULK_TOO_MANY] = "Paling banyak {1} laporan sekaligus.",
	[M_Q_BULK_NOW] = "statusnya sekarang",
	[M_Q_BACK] = "Kembali ke antrean",
	[M_STAF_DUPS_H] = "Kemungkinan duplikat",
	[M_STAF_DUPS_HELP] =
	    "Laporan lain dengan judul dan isi yang mirip (perkiraan). "
	    "Menggabungkan menutup laporan ini; pelapornya tetap "
	    "mengikuti laporan tujuan dengan tokennya sendiri.",
	[M_STAF_DUPS_NONE] = "Tidak ada laporan lain yang mirip.",
	[M_STAF_DUPS_CAPPED] =
	    "Pencarian berhenti pada batasnya; mungkin ada yang lain.",
	[M_STAF_SIMILARITY] = "Kemiripan",
	[M_STAF_MERGE_TO] = "Gabungkan ke",
	[M_STAF_CONFIRM_H] = "Konfirmasi",
	[M_STAF_CONFIRM_REJECT] =
	    "Laporan ini akan ditolak dan ditutup; pelapor melihat alasan "
	    "dan catatannya. Ini tidak dapat dibatalkan.",
	[M_STAF_CONFIRM_YES_REJECT] = "Ya, tolak laporan ini",
	[M_STAF_CANCEL] = "Batal, kembali ke laporan",
	[M_STAF_REJECT_HELP] =
	    "Menolak menutup laporan tanpa meneruskannya. Anda akan "
	    "diminta mengonfirmasi.",
	[M_STAF_REJECT_NEXT] = "Lanjut ke konfirmasi penolakan",
	[M_STAF_TOOLS_H] = "Berkas dan penahanan",
	[M_STAF_EXPORT] = "Unduh ekspor laporan (ZIP)",
	[M_STAF_EXPORT_HELP] =
	    "Semua yang boleh Anda lihat dari laporan ini dalam satu "
	    "berkas, tanpa identitas; unduhan tercatat di log audit.",
	[M_STAF_HOLD_ON] = "Laporan ini ditahan secara hukum: aturan retensi tidak "
	    "menghapusnya.",
	[M_STAF_HOLD_OFF] = "Laporan ini tidak ditahan; aturan retensi berlaku.",
	[M_STAF_HOLD_SET] = "Tahan secara hukum",
	[M_STAF_HOLD_RELEASE] = "Lepaskan penahanan",
	[M_STAF_FROM_REPORTER] = "Dari pelapor",
	[M_STAF_FROM_STAFF] = "Dari petugas",
	[M_STAF_PHOTO_ALT] = "Pratinjau lampiran {1}",
	[M_STAF_PREVIEWS_H] = "Pratinjau gambar",
	[M_STAF_PREVIEWS_HELP] =
	    "Salinan tanpa metadata, seperti yang dilihat instansi.",
	[M_F_PHOTOS] = "Foto penyelesaian (opsional)",
	[M_STAF_PHOTOS_HELP] =
	    "Sampai {1} berkas JPEG, PNG, WebP atau PDF, masing-masing "
	    "paling besar seukuran lampiran, diunggah bersama penyelesaian; "
	    "foto lain dapat diunggah dulu sebagai bukti lalu dicentang di "
	    "bawah. Metadata foto dihapus sebelum instansi dan "
	    "pelapor melihatnya.",
	[M_STAF_EVIDENCE_PICK] = "Lampiran yang sudah ada sebagai bukti",
	[M_STAF_LIAISON_NONE] =
	    "Belum ada pejabat penghubung aktif untuk instansi ini. Admin "
	    "server menambahkannya dengan bisikd user add.",
	[M_STAF_LIAISON_PICK] = "— pilih pejabat penghubung —",
	[M_STAF_AGENCY_PICK] = "— pilih instansi —",
	[M_STAF_INTAKE] = "Laporan baru",
	[M_STAF_INTAKE_H] = "Laporan dari saluran lain",
	[M_STAF_INTAKE_INTRO] =
	    "Untuk pengaduan yang datang lewat telepon, surat, datang "
	    "langsung, media sosial atau surel. Kontak pelapor boleh "
	    "dikosongkan; bila diisi, server langsung menyegelnya untuk "
	    "admin pusat dan menghapus teks terbacanya, seperti pada "
	    "formulir publik.",
	[M_F_SOURCE] = "Sumber (tautan atau rujukan)",
	[M_STAF_SOURCE_HELP] =
	    "Misalnya tautan unggahan media sosial atau nomor surat. "
	    "Hanya admin pusat yang melihatnya.",
	[M_STAF_CONTACT_H] = "Kontak pelapor (opsional, disegel)",
	[M_STAF_INTAKE_SEND] = "Catat laporan",
	[M_STAF_INTAKE_DONE_H] = "Laporan dicatat",
	[M_STAF_INTAKE_TOKEN] =
	    "Sampaikan nomor laporan dan token ini kepada pelapor lewat "
	    "saluran yang ia pakai, agar ia dapat memantau laporannya. "
	    "Token hanya ditampilkan sekali ini.",
	[M_STAF_OPEN_CASE] = "Buka laporan",
	[M_STAF_PERIODIC] = "Laporan berkala",
	[M_STAF_PERIODIC_INTRO] =
	    "Satu baris per instansi untuk laporan yang masuk dalam "
	    "periode (diterima, didisposisikan, ditanggapi tepat waktu, "
	    "selesai, belum selesai, terlambat, nilai), sebagai CSV.",
	[M_STAF_PERIODIC_SEND] = "Unduh CSV",
};
