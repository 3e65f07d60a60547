/**
 * The citizen-facing pages, server-rendered with hono/jsx. No external assets, no inline script (the CSP forbids it):
 * two scripts of our own: /portal/assets/handoff.js submits the hand-off form (a visible button does the same
 * without JavaScript), and /portal/assets/speed.js runs the opt-in speed test of the success page (issue 14). Every value is escaped by JSX; router texts are never shown raw.
 */
import type { Child, FC } from 'hono/jsx';
import { formatBytes, formatDuration, t, TERMS_VERSION, type Key, type Lang } from '../pure/i18n.ts';

const CSS =
  'body{font:16px/1.45 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2430}main{max-width:30rem;margin:0 auto;padding:1rem}' +
  'h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:0 0 .5rem}section{background:#fff;border-radius:.6rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}' +
  'label{display:block;margin:.4rem 0}input[type=text],input[type=tel]{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.55rem;border:1px solid #9aa5b1;border-radius:.4rem}' +
  'button{width:100%;font-size:1.05rem;padding:.7rem;margin-top:.6rem;border:0;border-radius:.4rem;background:#0b6bcb;color:#fff}.err{background:#fde8e8;color:#8a1c1c;padding:.7rem;border-radius:.4rem;margin:0 0 1rem}' +
  '.ok{background:#e6f6ea;color:#175c2c;padding:.7rem;border-radius:.4rem}small,.muted{color:#52606d}nav{display:flex;justify-content:space-between;font-size:.9rem;margin-bottom:.5rem}a{color:#0b6bcb}' +
  'table{width:100%;border-collapse:collapse;font-size:.9rem}td,th{text-align:left;padding:.25rem;border-bottom:1px solid #e4e7eb}';

export interface Notice {
  key: Key;
  vars?: Record<string, string | number>;
}

export const Layout: FC<{ lang: Lang; title: string; switchHref?: string | undefined; refreshS?: number; script?: boolean; speedScript?: boolean; children?: Child }> = (p) => (
  <html lang={p.lang}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      {p.refreshS !== undefined && <meta http-equiv="refresh" content={String(p.refreshS)} />}
      <title>{p.title}</title>
      <style>{CSS}</style>
      {p.script === true && <script src="/portal/assets/handoff.js" defer />}
      {p.speedScript === true && <script src="/portal/assets/speed.js" defer />}
    </head>
    <body>
      <main>
        <nav>
          <span>{t(p.lang, 'title')}</span>
          {p.switchHref !== undefined && <a href={p.switchHref}>{t(p.lang, 'switchLang')}</a>}
        </nav>
        {p.children}
      </main>
    </body>
  </html>
);

const Err: FC<{ lang: Lang; notice: Notice | null | undefined }> = ({ lang, notice }) =>
  notice === null || notice === undefined ? null : (
    <p class="err" role="alert">
      {t(lang, notice.key, notice.vars)}
    </p>
  );

const Purpose: FC<{ lang: Lang }> = ({ lang }) => (
  <section>
    <h2>{t(lang, 'purposeTitle')}</h2>
    <p class="muted">{t(lang, 'purpose')}</p>
    <p>
      <a href={`/portal/terms?lang=${lang}`}>{t(lang, 'termsLink')}</a> · <a href={`/portal/my-data?lang=${lang}`}>{t(lang, 'myDataLink')}</a>
    </p>
  </section>
);

const Consent: FC<{ lang: Lang }> = ({ lang }) => (
  <label>
    <input type="checkbox" name="accept" value="yes" required /> {t(lang, 'acceptLabel', { v: TERMS_VERSION })}
  </label>
);

const VoucherForm: FC<{ lang: Lang; csrf: string; code?: string | undefined; title?: Key; hint?: Key }> = (p) => (
  <section id="voucher">
    <h2>{t(p.lang, p.title ?? 'voucherTitle')}</h2>
    {p.hint !== undefined && <p class="muted">{t(p.lang, p.hint)}</p>}
    <form method="post" action="/portal/voucher">
      <input type="hidden" name="csrf" value={p.csrf} />
      <label>
        {t(p.lang, 'voucherLabel')}
        <input type="text" name="code" autocomplete="off" autocapitalize="characters" maxlength={16} required placeholder="ABCDE-FGHJK" value={p.code} />
      </label>
      <Consent lang={p.lang} />
      <button type="submit">{t(p.lang, 'voucherButton')}</button>
    </form>
  </section>
);

export const StartPage: FC<{
  lang: Lang;
  csrf: string;
  methods: readonly string[];
  notice?: Notice | null;
  routerNotice?: Key | null;
  returning?: boolean;
  /** Filled in from a printed voucher's QR code. */
  voucherCode?: string;
}> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'title')} switchHref={`/portal/start?lang=${p.lang === 'id' ? 'en' : 'id'}`}>
    <h1>{t(p.lang, 'title')}</h1>
    {p.routerNotice != null && (
      <p class="err" role="alert">
        {t(p.lang, 'routerSaid')}: {t(p.lang, p.routerNotice)}
      </p>
    )}
    <Err lang={p.lang} notice={p.notice} />
    {p.returning === true && (
      <section>
        <form method="post" action="/portal/continue">
          <input type="hidden" name="csrf" value={p.csrf} />
          <button type="submit">{t(p.lang, 'continueButton')}</button>
        </form>
      </section>
    )}
    {p.methods.includes('terms') && (
      <section>
        <form method="post" action="/portal/terms">
          <input type="hidden" name="csrf" value={p.csrf} />
          <Consent lang={p.lang} />
          <button type="submit">{t(p.lang, 'termsButton')}</button>
          <small>{t(p.lang, 'termsHint')}</small>
        </form>
      </section>
    )}
    {p.methods.includes('otp') && (
      <section>
        <h2>{t(p.lang, 'phoneTitle')}</h2>
        <form method="post" action="/portal/otp/request">
          <input type="hidden" name="csrf" value={p.csrf} />
          <label>
            {t(p.lang, 'phoneLabel')}
            <input type="tel" name="phone" autocomplete="tel" inputmode="tel" maxlength={20} required placeholder="0812 3456 7890" />
          </label>
          <Consent lang={p.lang} />
          <button type="submit">{t(p.lang, 'phoneButton')}</button>
        </form>
      </section>
    )}
    {p.methods.includes('voucher') && <VoucherForm lang={p.lang} csrf={p.csrf} code={p.voucherCode} />}
    <Purpose lang={p.lang} />
  </Layout>
);

export const OtpPage: FC<{
  lang: Lang;
  csrf: string;
  masked: string;
  action: string;
  notice?: Notice | null;
  /** Issue 14: the hotspot takes vouchers, offered beside the code (a slow or failing SMS gateway). */
  voucherFallback?: boolean;
}> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'otpTitle')}>
    <h1>{t(p.lang, 'otpTitle')}</h1>
    <Err lang={p.lang} notice={p.notice} />
    <section>
      <p>{t(p.lang, 'otpSent', { phone: p.masked, min: 5 })}</p>
      <form method="post" action={p.action}>
        <input type="hidden" name="csrf" value={p.csrf} />
        <label>
          {t(p.lang, 'otpLabel')}
          <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength={6} required />
        </label>
        <button type="submit">{t(p.lang, 'otpButton')}</button>
      </form>
    </section>
    {p.voucherFallback === true && <VoucherForm lang={p.lang} csrf={p.csrf} title="smsFallbackTitle" hint="smsFallbackText" />}
  </Layout>
);

export const HandoffPage: FC<{ lang: Lang; action: string; fields: Record<string, string> }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'handoffTitle')} script>
    <h1>{t(p.lang, 'handoffTitle')}</h1>
    <section>
      <p>{t(p.lang, 'handoffText')}</p>
      <form id="handoff" method="post" action={p.action}>
        {Object.entries(p.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit">{t(p.lang, 'handoffButton')}</button>
      </form>
    </section>
  </Layout>
);

export const WaitPage: FC<{ lang: Lang }> = ({ lang }) => (
  <Layout lang={lang} title={t(lang, 'waitTitle')} refreshS={2}>
    <h1>{t(lang, 'waitTitle')}</h1>
    <section>
      <p>{t(lang, 'waitText')}</p>
      <p>
        <a href="/portal/wait">{t(lang, 'waitButton')}</a>
      </p>
    </section>
  </Layout>
);

/** Issue 14: the speed test offered on the success page; null when the sign-in is metered (a small data allowance). */
export type SpeedOffer = { csrf: string } | { metered: true } | null;

export const SuccessPage: FC<{ lang: Lang; dst: string | null; timeS: number; bytes: number; speed?: SpeedOffer; title?: Key }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, p.title ?? 'successTitle')} speedScript={p.speed != null && 'csrf' in p.speed}>
    <h1>{t(p.lang, p.title ?? 'successTitle')}</h1>
    <p class="ok" id="connected">
      {t(p.lang, 'successText', { time: formatDuration(p.lang, p.timeS), data: formatBytes(p.lang, p.bytes) })}
    </p>
    {p.dst !== null && (
      <p>
        <a href={p.dst} rel="noreferrer">
          {t(p.lang, 'continueLink')}
        </a>
      </p>
    )}
    {p.speed != null && 'csrf' in p.speed && (
      <section
        id="speedtest"
        data-csrf={p.speed.csrf}
        data-running={t(p.lang, 'speedRunning')}
        data-result={t(p.lang, 'speedResult')}
        data-failed={t(p.lang, 'speedFailed')}
        data-skipped={t(p.lang, 'speedSkipped')}
      >
        <h2>{t(p.lang, 'speedTitle')}</h2>
        <p class="muted">{t(p.lang, 'speedText')}</p>
        <button type="button" id="speedtest-start" hidden>
          {t(p.lang, 'speedButton')}
        </button>
        <noscript>
          <p class="muted">{t(p.lang, 'speedNoScript')}</p>
        </noscript>
        <p id="speedtest-out" aria-live="polite"></p>
      </section>
    )}
    {p.speed != null && 'metered' in p.speed && <p class="muted">{t(p.lang, 'speedMetered')}</p>}
  </Layout>
);

export const MessagePage: FC<{ lang: Lang; title: Key; text: Key; back?: boolean; notice?: Notice | null }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, p.title)}>
    <h1>{t(p.lang, p.title)}</h1>
    <Err lang={p.lang} notice={p.notice} />
    <section>
      <p>{t(p.lang, p.text)}</p>
      {p.back === true && (
        <p>
          <a href="/portal/start">{t(p.lang, 'back')}</a>
        </p>
      )}
    </section>
  </Layout>
);

/** GET /portal opened directly (not from a hotspot): how to get here the right way, and the citizen's rights. */
export const LandingPage: FC<{ lang: Lang }> = ({ lang }) => (
  <Layout lang={lang} title={t(lang, 'landingTitle')} switchHref={`/portal?lang=${lang === 'id' ? 'en' : 'id'}`}>
    <h1>{t(lang, 'landingTitle')}</h1>
    <section>
      <p>{t(lang, 'landingText')}</p>
      <p>
        <a href={`/portal/terms?lang=${lang}`}>{t(lang, 'termsLink')}</a>
      </p>
      <p>
        <a href={`/portal/my-data?lang=${lang}`}>{t(lang, 'myDataLink')}</a>
      </p>
    </section>
  </Layout>
);

export const TermsPage: FC<{ lang: Lang }> = ({ lang }) => (
  <Layout lang={lang} title={t(lang, 'termsTitle')} switchHref={`/portal/terms?lang=${lang === 'id' ? 'en' : 'id'}`}>
    <h1>{t(lang, 'termsTitle')}</h1>
    <section>
      <p>
        <small>v{TERMS_VERSION}</small>
      </p>
      <p>{t(lang, 'termsBody')}</p>
      <p>{t(lang, 'purpose')}</p>
    </section>
  </Layout>
);

export const MyDataStartPage: FC<{ lang: Lang; csrf: string; notice?: Notice | null }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'myDataTitle')} switchHref={`/portal/my-data?lang=${p.lang === 'id' ? 'en' : 'id'}`}>
    <h1>{t(p.lang, 'myDataTitle')}</h1>
    <Err lang={p.lang} notice={p.notice} />
    <section>
      <p>{t(p.lang, 'myDataIntro')}</p>
      <form method="post" action="/portal/my-data/request">
        <input type="hidden" name="csrf" value={p.csrf} />
        <label>
          {t(p.lang, 'phoneLabel')}
          <input type="tel" name="phone" inputmode="tel" maxlength={20} required />
        </label>
        <button type="submit">{t(p.lang, 'phoneButton')}</button>
      </form>
    </section>
  </Layout>
);

export interface MyDataViewProps {
  phone: string;
  createdAt: string;
  consents: Array<{ termsVersion: string; acceptedAt: string }>;
  grants: number;
  sessions: Array<{ day: string; uptimeS: number; bytes: number }>;
}

export const MyDataViewPage: FC<{ lang: Lang; csrf: string; view: MyDataViewProps | null }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'myDataTitle')}>
    <h1>{t(p.lang, 'myDataTitle')}</h1>
    {p.view === null ? (
      <section>
        <p>{t(p.lang, 'myDataNone')}</p>
      </section>
    ) : (
      <section>
        <table>
          <tr>
            <th>{t(p.lang, 'myDataPhone')}</th>
            <td>{p.view.phone}</td>
          </tr>
          <tr>
            <th>{t(p.lang, 'myDataSince')}</th>
            <td>{p.view.createdAt.slice(0, 10)}</td>
          </tr>
          <tr>
            <th>{t(p.lang, 'myDataConsents')}</th>
            <td>{p.view.consents.map((c) => `${c.termsVersion} (${c.acceptedAt.slice(0, 10)})`).join(', ')}</td>
          </tr>
          <tr>
            <th>{t(p.lang, 'myDataSessions')}</th>
            <td>{String(p.view.sessions.length)}</td>
          </tr>
        </table>
        {p.view.sessions.length > 0 && (
          <table>
            {p.view.sessions.map((s) => (
              <tr>
                <td>{s.day}</td>
                <td>{formatDuration(p.lang, s.uptimeS)}</td>
                <td>{formatBytes(p.lang, s.bytes)}</td>
              </tr>
            ))}
          </table>
        )}
        <form method="post" action="/portal/my-data/delete">
          <input type="hidden" name="csrf" value={p.csrf} />
          <button type="submit">{t(p.lang, 'myDataDelete')}</button>
        </form>
      </section>
    )}
  </Layout>
);

/** A printed voucher's link opened outside the hotspot (e.g. on mobile data): the code, and how to use it. */
export const VoucherLinkPage: FC<{ lang: Lang; code: string }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'voucherLinkTitle')}>
    <h1>{t(p.lang, 'voucherLinkTitle')}</h1>
    <section>
      <p class="code" id="voucher-code">
        <strong>{p.code}</strong>
      </p>
      <p>{t(p.lang, 'voucherLinkText')}</p>
    </section>
  </Layout>
);

/** "Delete all my data" asks first: nothing is deleted until this form (with confirm=yes) is sent. */
export const MyDataConfirmPage: FC<{ lang: Lang; csrf: string }> = (p) => (
  <Layout lang={p.lang} title={t(p.lang, 'myDataConfirmTitle')}>
    <h1>{t(p.lang, 'myDataConfirmTitle')}</h1>
    <section>
      <p class="err">{t(p.lang, 'myDataConfirmText')}</p>
      <form method="post" action="/portal/my-data/delete">
        <input type="hidden" name="csrf" value={p.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit">{t(p.lang, 'myDataConfirmButton')}</button>
      </form>
      <p>
        <a href="/portal/my-data">{t(p.lang, 'myDataCancel')}</a>
      </p>
    </section>
  </Layout>
);

export const HANDOFF_JS = "(function(){var f=document.getElementById('handoff');if(f){f.submit();}})();\n";

const CSRF_SLOT = 'JKCSRFSLOT';
const startTemplates = new Map<string, string[]>();

/**
 * The start page without a notice is the same for every visitor but its CSRF token: rendered once per language,
 * method set and returning flag, then the token (base64url, nothing to escape) is put into the slots.
 */
export async function startPageHtml(p: { lang: Lang; csrf: string; methods: readonly string[]; returning: boolean }): Promise<string> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(p.csrf)) throw new Error('unexpected CSRF token form');
  const key = `${p.lang}|${p.methods.join(',')}|${p.returning ? 1 : 0}`;
  let parts = startTemplates.get(key);
  if (parts === undefined) {
    const html = await (<StartPage lang={p.lang} csrf={CSRF_SLOT} methods={p.methods} returning={p.returning} />).toString();
    parts = html.split(CSRF_SLOT);
    if (startTemplates.size < 64) startTemplates.set(key, parts);
  }
  return parts.join(p.csrf);
}

/**
 * The success page's opt-in speed test (issue 14): latency as the median of 5 small requests, then a timed download
 * and upload of a few hundred KB, then the figures posted once. Skipped when the browser asks to save data.
 */
export const SPEED_JS = `(function(){
var box=document.getElementById('speedtest');if(!box){return;}
var btn=document.getElementById('speedtest-start'),out=document.getElementById('speedtest-out'),csrf=box.getAttribute('data-csrf');
var c=navigator.connection;if(c&&c.saveData){out.textContent=box.getAttribute('data-skipped');return;}
btn.hidden=false;
function now(){return performance.now();}
function req(u,o){return fetch(u,Object.assign({cache:'no-store',credentials:'same-origin'},o||{})).then(function(r){if(!r.ok){throw new Error('HTTP '+r.status);}return r;});}
function r1(x){return Math.round(x*10)/10;}
btn.addEventListener('click',function(){
btn.disabled=true;out.textContent=box.getAttribute('data-running');
var pings=[],i=0,down=0,up=0,lat=0;
function ping(){var t=now();return req('/portal/speed/ping?n='+i).then(function(r){return r.text();}).then(function(){pings.push(now()-t);i++;return i<5?ping():null;});}
ping().then(function(){pings.sort(function(a,b){return a-b;});lat=pings[2];var t=now();
return req('/portal/speed/down?bytes=409600').then(function(r){return r.arrayBuffer();}).then(function(b){down=b.byteLength*8/((now()-t)/1000)/1e6;});
}).then(function(){var s='',a='abcdefghijklmnopqrstuvwxyz0123456789';for(var k=0;k<4096;k++){s+=a.charAt(Math.floor(Math.random()*36));}var body=new Array(65).join(s);var t=now();
return req('/portal/speed/up',{method:'POST',headers:{'content-type':'text/plain','x-portal-csrf':csrf},body:body}).then(function(r){return r.text();}).then(function(){up=body.length*8/((now()-t)/1000)/1e6;});
}).then(function(){return req('/portal/speed/result',{method:'POST',headers:{'content-type':'application/json','x-portal-csrf':csrf},body:JSON.stringify({downMbps:r1(down),upMbps:r1(up),latencyMs:r1(lat)})});
}).then(function(){out.textContent=box.getAttribute('data-result').replace('{down}',String(r1(down))).replace('{up}',String(r1(up))).replace('{ms}',String(Math.round(lat)));
}).catch(function(){out.textContent=box.getAttribute('data-failed');});
});
})();
`;
