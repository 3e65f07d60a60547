/** Words of the portal, Bahasa Indonesia first. Every key exists in both languages (checked by the type). */
export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const TERMS_VERSION = '2026-11-01';

const id = {
  title: 'Wi-Fi Gratis Kota Cilegon',
  switchLang: 'English',
  purposeTitle: 'Untuk apa data Anda',
  purpose:
    'Pemerintah Kota Cilegon menyediakan Wi-Fi gratis untuk warga. Kami hanya mencatat nomor HP (bila Anda masuk dengan kode SMS), waktu dan jumlah data pemakaian, untuk membagi jatah secara adil dan mengukur layanan. Data tidak dijual atau dibagikan. Anda dapat melihat dan menghapus data Anda kapan saja.',
  termsLink: 'Syarat dan ketentuan',
  myDataLink: 'Lihat atau hapus data saya',
  acceptLabel: 'Saya setuju dengan syarat dan ketentuan (versi {v})',
  termsButton: 'Setuju dan sambungkan',
  termsHint: 'Sesi singkat tanpa mendaftar.',
  phoneTitle: 'Masuk dengan nomor HP',
  phoneLabel: 'Nomor HP',
  phoneButton: 'Kirim kode',
  voucherTitle: 'Masuk dengan voucher',
  voucherLabel: 'Kode voucher',
  voucherButton: 'Pakai voucher',
  otpTitle: 'Masukkan kode',
  otpSent: 'Kami mengirim kode 6 angka lewat SMS ke {phone}. Kode berlaku {min} menit.',
  otpLabel: 'Kode dari SMS',
  otpButton: 'Masuk',
  continueButton: 'Lanjutkan dengan nomor HP yang sudah terdaftar',
  handoffTitle: 'Menyambungkan…',
  handoffText: 'Anda sudah masuk. Bila halaman tidak berpindah sendiri, tekan tombol di bawah.',
  handoffButton: 'Sambungkan sekarang',
  waitTitle: 'Menyiapkan akses…',
  waitText: 'Router sedang menyiapkan akses Anda. Halaman ini akan diperbarui sendiri dalam beberapa detik.',
  waitButton: 'Periksa lagi',
  successTitle: 'Anda tersambung',
  successText: 'Selamat berselancar. Jatah Anda: {time} dan {data} hari ini.',
  continueLink: 'Lanjut ke tujuan Anda',
  speedTitle: 'Ukur kecepatan Wi-Fi (tidak wajib)',
  speedText: 'Bantu kami mengukur layanan: uji singkat sekitar 1 MB ke server kota. Yang disimpan hanya hasilnya per hotspot, tanpa data pribadi.',
  speedButton: 'Mulai uji kecepatan',
  speedNoScript: 'Uji kecepatan memerlukan JavaScript.',
  speedRunning: 'Sedang mengukur...',
  speedResult: 'Unduh {down} Mbps · Unggah {up} Mbps · Latensi {ms} ms. Terima kasih!',
  speedFailed: 'Uji kecepatan tidak dapat diselesaikan. Tidak apa-apa, Anda tetap tersambung.',
  speedSkipped: 'Uji kecepatan dilewati: perangkat Anda dalam mode hemat data.',
  speedMetered: 'Uji kecepatan tidak ditawarkan karena jatah data Anda kecil.',
  doneTitle: 'Anda sudah tersambung',
  refusedTitle: 'Hotspot tidak dikenal',
  refusedText: 'Halaman ini hanya bisa dibuka dari hotspot Wi-Fi resmi Kota Cilegon. Sambungkan ke Wi-Fi kota lalu buka halaman apa saja.',
  badRequestTitle: 'Permintaan tidak valid',
  badRequestText: 'Data dari hotspot tidak lengkap atau tidak valid. Putuskan dan sambungkan lagi ke Wi-Fi.',
  landingTitle: 'Wi-Fi publik gratis Kota Cilegon',
  landingText: 'Sambungkan HP Anda ke jaringan Wi-Fi kota di titik hotspot; halaman masuk akan terbuka sendiri. Jika tidak terbuka, buka halaman web apa saja.',
  expiredTitle: 'Sesi masuk kedaluwarsa',
  expiredText: 'Silakan putuskan lalu sambungkan lagi ke Wi-Fi untuk memulai ulang.',
  csrfText: 'Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman ini. Muat ulang halaman dan coba lagi.',
  back: 'Kembali',
  errPhone: 'Nomor HP tidak valid. Contoh: 0812 3456 7890.',
  errConsent: 'Centang persetujuan syarat dan ketentuan terlebih dahulu.',
  errOtpWrong: 'Kode salah. Sisa percobaan: {n}.',
  errOtpExpired: 'Kode sudah kedaluwarsa. Minta kode baru.',
  errOtpLocked: 'Terlalu banyak kode salah. Coba lagi dalam 1 jam.',
  errOtpRate: 'Terlalu banyak permintaan kode. Tunggu {min} menit lalu coba lagi.',
  errOtpUsed: 'Kode ini sudah dipakai. Minta kode baru.',
  errVoucher: 'Kode voucher tidak dikenal. Periksa lagi hurufnya.',
  errVoucherUsed: 'Voucher ini sudah dipakai.',
  errVoucherExpired: 'Voucher ini sudah tidak berlaku.',
  errVoucherRate: 'Terlalu banyak percobaan voucher. Tunggu beberapa menit.',
  errQuotaTime: 'Jatah waktu Anda hari ini sudah habis. Coba lagi besok.',
  errQuotaData: 'Jatah data Anda hari ini sudah habis. Coba lagi besok.',
  errDevices: 'Anda sudah tersambung dengan {n} perangkat, batas maksimum. Putuskan salah satu lalu coba lagi.',
  errMethod: 'Cara masuk ini tidak tersedia di hotspot ini.',
  errRouter: 'Router sedang tidak dapat dihubungi. Coba lagi sebentar lagi.',
  errFlowUsed: 'Sesi masuk ini sudah dipakai. Putuskan lalu sambungkan lagi ke Wi-Fi untuk masuk lagi.',
  errBusy: 'Terlalu banyak percobaan masuk dari perangkat atau hotspot ini. Tunggu {min} menit lalu coba lagi.',
  busyTitle: 'Terlalu banyak percobaan',
  busyText: 'Terlalu banyak percobaan masuk dari perangkat atau hotspot ini. Tunggu beberapa menit lalu sambungkan lagi ke Wi-Fi.',
  otherClientTitle: 'Sesi masuk dari perangkat lain',
  otherClientText: 'Sesi masuk ini dimulai dari perangkat atau jaringan lain dan hanya berlaku di sana. Sambungkan perangkat ini ke Wi-Fi kota untuk masuk.',
  errSms: 'SMS tidak dapat dikirim saat ini. Masuk dengan voucher atau cara lain, atau coba lagi sebentar lagi.',
  errSmsCap: 'Batas pengiriman kode SMS hari ini sudah tercapai. Silakan masuk dengan voucher atau cara lain; besok kode SMS bisa dipakai lagi.',
  smsDelayed: 'Kode belum terkirim: layanan SMS sedang lambat, kami mencoba lagi beberapa kali. Bila kode tidak datang dalam beberapa menit, masuk dengan voucher.',
  smsFallbackTitle: 'Kode tidak datang?',
  smsFallbackText: 'Masuk dengan kode voucher (minta kepada petugas hotspot) tanpa menunggu SMS.',
  routerSaid: 'Pesan dari router',
  rInvalid: 'Nama pengguna atau kata sandi ditolak router. Silakan masuk lagi.',
  rSessions: 'Akun ini sedang dipakai di perangkat lain.',
  rUptime: 'Jatah waktu Anda sudah habis.',
  rTraffic: 'Jatah data Anda sudah habis.',
  rMac: 'Akun ini terikat ke perangkat lain.',
  rChap: 'Halaman masuk kedaluwarsa. Putuskan dan sambungkan lagi ke Wi-Fi.',
  rRadius: 'Server otentikasi tidak menjawab. Coba lagi sebentar lagi.',
  rBusy: 'Router sedang memproses. Coba lagi sebentar lagi.',
  rOther: 'Router menolak masuk. Silakan coba lagi.',
  myDataTitle: 'Data saya',
  myDataIntro: 'Masukkan nomor HP Anda. Kami kirim kode untuk membuktikan nomor itu milik Anda.',
  myDataNone: 'Tidak ada data yang tersimpan untuk nomor ini.',
  myDataPhone: 'Nomor HP',
  myDataSince: 'Terdaftar sejak',
  myDataConsents: 'Persetujuan',
  myDataSessions: 'Sesi Wi-Fi tercatat',
  myDataDelete: 'Hapus semua data saya',
  myDataDeleted: 'Data Anda sudah dihapus.',
  voucherLinkTitle: 'Voucher Wi-Fi Kota Cilegon',
  voucherLinkText: 'Sambungkan HP ke Wi-Fi kota dulu, lalu pindai kode QR lagi atau buka halaman web apa saja dan masukkan kode ini.',
  myDataConfirmTitle: 'Hapus semua data Anda?',
  myDataConfirmText: 'Nomor HP, persetujuan dan riwayat sesi Wi-Fi Anda akan dihapus dan tidak bisa dikembalikan. Sesi Wi-Fi yang sedang berjalan diputus. Statistik tanpa identitas tetap disimpan.',
  myDataConfirmButton: 'Ya, hapus semua data saya',
  myDataCancel: 'Batal, jangan hapus',
  termsTitle: 'Syarat dan ketentuan',
  termsBody:
    'Layanan gratis untuk warga. Gunakan secara wajar dan sesuai hukum. Jatah waktu dan data harian berlaku. Pengendali data: Dinas Komunikasi dan Informatika Kota Cilegon; Pejabat Pelindungan Data dapat dihubungi melalui kantor Diskominfo. Data disimpan paling lama sesuai jadwal retensi lalu dihapus otomatis (UU 27/2022 tentang Pelindungan Data Pribadi).',
  hours: '{n} jam',
  minutes: '{n} menit',
  unlimited: 'tanpa batas',
};

export type Key = keyof typeof id;

const en: Record<Key, string> = {
  title: 'Cilegon City Free Wi-Fi',
  switchLang: 'Bahasa Indonesia',
  purposeTitle: 'What your data is for',
  purpose:
    'The City of Cilegon offers free Wi-Fi to residents. We only record a phone number (when you sign in with an SMS code), time and data used, to share the allowance fairly and measure the service. Data is never sold or shared. You can see and delete your data at any time.',
  termsLink: 'Terms and conditions',
  myDataLink: 'See or delete my data',
  acceptLabel: 'I accept the terms and conditions (version {v})',
  termsButton: 'Accept and connect',
  termsHint: 'A short session without registering.',
  phoneTitle: 'Sign in with your phone number',
  phoneLabel: 'Phone number',
  phoneButton: 'Send code',
  voucherTitle: 'Sign in with a voucher',
  voucherLabel: 'Voucher code',
  voucherButton: 'Use voucher',
  otpTitle: 'Enter the code',
  otpSent: 'We sent a 6-digit code by SMS to {phone}. It is valid for {min} minutes.',
  otpLabel: 'Code from the SMS',
  otpButton: 'Sign in',
  continueButton: 'Continue with your registered phone number',
  handoffTitle: 'Connecting…',
  handoffText: 'You are signed in. If this page does not move on by itself, press the button below.',
  handoffButton: 'Connect now',
  waitTitle: 'Preparing access…',
  waitText: 'The router is preparing your access. This page refreshes by itself in a few seconds.',
  waitButton: 'Check again',
  successTitle: 'You are connected',
  successText: 'Enjoy. Your allowance today: {time} and {data}.',
  continueLink: 'Continue to where you were going',
  speedTitle: 'Measure the Wi-Fi speed (optional)',
  speedText: "Help us measure the service: a short test of about 1 MB against the city's server. Only the result is kept, per hotspot, with no personal data.",
  speedButton: 'Start the speed test',
  speedNoScript: 'The speed test needs JavaScript.',
  speedRunning: 'Measuring...',
  speedResult: 'Download {down} Mbps · Upload {up} Mbps · Latency {ms} ms. Thank you!',
  speedFailed: 'The speed test could not finish. No matter, you are still connected.',
  speedSkipped: 'Speed test skipped: your device is in data saver mode.',
  speedMetered: 'The speed test is not offered because your data allowance is small.',
  doneTitle: 'You are connected',
  refusedTitle: 'Unknown hotspot',
  refusedText: "This page only opens from an official Cilegon City Wi-Fi hotspot. Join the city's Wi-Fi, then open any page.",
  badRequestTitle: 'Invalid request',
  badRequestText: 'The hotspot sent incomplete or invalid data. Disconnect and join the Wi-Fi again.',
  landingTitle: 'Cilegon City free public Wi-Fi',
  landingText: "Join the city's Wi-Fi network at a hotspot; the sign-in page opens by itself. If it does not, open any web page.",
  expiredTitle: 'Sign-in expired',
  expiredText: 'Please disconnect and join the Wi-Fi again to start over.',
  csrfText: 'This form has expired or did not come from this page. Reload the page and try again.',
  back: 'Back',
  errPhone: 'That phone number is not valid. Example: 0812 3456 7890.',
  errConsent: 'Please tick the box to accept the terms first.',
  errOtpWrong: 'Wrong code. Tries left: {n}.',
  errOtpExpired: 'The code has expired. Ask for a new one.',
  errOtpLocked: 'Too many wrong codes. Try again in 1 hour.',
  errOtpRate: 'Too many code requests. Wait {min} minutes and try again.',
  errOtpUsed: 'This code was already used. Ask for a new one.',
  errVoucher: 'Unknown voucher code. Check the letters again.',
  errVoucherUsed: 'This voucher has already been used.',
  errVoucherExpired: 'This voucher is no longer valid.',
  errVoucherRate: 'Too many voucher tries. Wait a few minutes.',
  errQuotaTime: 'Your time allowance for today is used up. Try again tomorrow.',
  errQuotaData: 'Your data allowance for today is used up. Try again tomorrow.',
  errDevices: 'You are connected with {n} devices, the maximum. Disconnect one and try again.',
  errMethod: 'This way of signing in is not offered at this hotspot.',
  errRouter: 'The router cannot be reached right now. Try again shortly.',
  errFlowUsed: 'This sign-in has already been used. Disconnect and join the Wi-Fi again to sign in again.',
  errBusy: 'Too many sign-in attempts from this device or hotspot. Wait {min} minutes, then try again.',
  busyTitle: 'Too many attempts',
  busyText: 'Too many sign-in attempts from this device or hotspot. Wait a few minutes, then join the Wi-Fi again.',
  otherClientTitle: 'Sign-in from another device',
  otherClientText: "This sign-in was started from another device or network and only works there. Join the city's Wi-Fi on this device to sign in.",
  errSms: 'The SMS cannot be sent right now. Sign in with a voucher or another way, or try again shortly.',
  errSmsCap: "Today's limit for SMS codes has been reached. Please sign in with a voucher or another way; SMS codes work again tomorrow.",
  smsDelayed: 'The code has not been sent yet: the SMS service is slow and we are trying again. If no code arrives within a few minutes, sign in with a voucher.',
  smsFallbackTitle: 'No code arriving?',
  smsFallbackText: 'Sign in with a voucher code (ask the hotspot staff) without waiting for the SMS.',
  routerSaid: 'Message from the router',
  rInvalid: 'The router did not accept the sign-in. Please sign in again.',
  rSessions: 'This account is in use on another device.',
  rUptime: 'Your time allowance is used up.',
  rTraffic: 'Your data allowance is used up.',
  rMac: 'This account is tied to another device.',
  rChap: 'The sign-in page expired. Disconnect and join the Wi-Fi again.',
  rRadius: 'The authentication server does not answer. Try again shortly.',
  rBusy: 'The router is busy. Try again shortly.',
  rOther: 'The router refused the sign-in. Please try again.',
  myDataTitle: 'My data',
  myDataIntro: 'Enter your phone number. We send a code to prove the number is yours.',
  myDataNone: 'No data is stored for this number.',
  myDataPhone: 'Phone number',
  myDataSince: 'Registered since',
  myDataConsents: 'Consents',
  myDataSessions: 'Wi-Fi sessions recorded',
  myDataDelete: 'Delete all my data',
  myDataDeleted: 'Your data has been deleted.',
  voucherLinkTitle: 'Cilegon City Wi-Fi voucher',
  voucherLinkText: "Join the city's Wi-Fi first, then scan the QR code again or open any web page and enter this code.",
  myDataConfirmTitle: 'Delete all your data?',
  myDataConfirmText: 'Your phone number, consents and Wi-Fi session history will be deleted and cannot be restored. Wi-Fi sessions running now are ended. Statistics without identity are kept.',
  myDataConfirmButton: 'Yes, delete all my data',
  myDataCancel: 'Cancel, do not delete',
  termsTitle: 'Terms and conditions',
  termsBody:
    'A free service for residents. Use it fairly and lawfully. Daily time and data allowances apply. Data controller: the Cilegon City Communication and Informatics Office; its Data Protection Officer can be reached through that office. Data is kept no longer than the retention schedule and then deleted automatically (Law 27/2022 on Personal Data Protection).',
  hours: '{n} hours',
  minutes: '{n} minutes',
  unlimited: 'unlimited',
};

const DICT: Record<Lang, Record<Key, string>> = { id, en };

export function t(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  let s = DICT[lang][key];
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export function isLang(v: unknown): v is Lang {
  return v === 'id' || v === 'en';
}

/**
 * The router's $(error) text (from its errors.txt) in words people understand. The raw text is never shown: an
 * attacker can post anything as `error`.
 */
export function routerErrorKey(text: string): Key {
  const s = text.toLowerCase();
  if (s.includes('invalid username or password') || s.includes('invalid password')) return 'rInvalid';
  if (s.includes('no more sessions')) return 'rSessions';
  if (s.includes('uptime limit')) return 'rUptime';
  if (s.includes('traffic limit') || s.includes('bytes limit')) return 'rTraffic';
  if (s.includes('mac address')) return 'rMac';
  if (s.includes('challenge') || s.includes('chap')) return 'rChap';
  if (s.includes('radius')) return 'rRadius';
  if (s.includes('already authorizing') || s.includes('retry later')) return 'rBusy';
  return 'rOther';
}

export function formatDuration(lang: Lang, seconds: number): string {
  if (seconds >= 3600) return t(lang, 'hours', { n: Math.round((seconds / 3600) * 10) / 10 });
  return t(lang, 'minutes', { n: Math.max(1, Math.round(seconds / 60)) });
}

export function formatBytes(lang: Lang, bytes: number): string {
  if (bytes <= 0) return t(lang, 'unlimited');
  if (bytes >= 1e9) return `${Math.round(bytes / 1e8) / 10} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}
