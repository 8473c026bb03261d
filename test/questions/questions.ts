/**
 * The question suite (issue 9): realistic questions an athlete or coach asks, each answered with the
 * tool call(s) a model makes from tools/list alone, against the fake's sample athlete (today =
 * 2026-11-24, a Tuesday, in Pacific/Auckland). Every question checks the facts a good answer needs,
 * computed from the fake's own data (never a copied number), and the runner records what the
 * model pays in tokens: the arguments it writes plus the answers it reads.
 *
 * Checks use node:assert so the suite runs both under vitest and from `npm run tokens`.
 */
import assert from 'node:assert/strict';
import { type ActivityRecord, type AthleteState, athleteCurves } from '../fake-intervals/data.js';
import { SAMPLE_FACTS } from '../fake-intervals/index.js';
import type { Stack } from '../support/harness.js';

export type Json = Record<string, unknown>;
export type Table = { columns: string[]; rows: unknown[][] };

/** One tool call as the model makes it; the structured answer, or the error text when `isError`. */
export type Ask = <T = Json>(tool: string, args?: Json) => Promise<T>;

export interface World {
  athlete: AthleteState;
  coached: AthleteState;
  stack: Stack;
  today: string;
}

export interface Question {
  /** What the athlete or coach says. */
  q: string;
  run(ask: Ask, w: World): Promise<void>;
}

// ---------------------------------------------------------------- helpers (expectations)

const DAY = 86_400_000;
export const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** Monday of the week that holds d. */
const monday = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));
export const rows = (t: Table) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])) as Json);
const r1 = (v: unknown) => Math.round((v as number) * 10) / 10;
const hm = (secs: number) => {
  const m = Math.round(secs / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
};
/** The fake's readable (non-Strava) activities from `from` to `to`, newest first. */
const done = (w: World, from: string, to: string) => w.athlete.activities.filter((a) => !a.stub && a.date >= from && a.date <= to);
const num = (a: ActivityRecord, k: string) => (a.json[k] as number | null) ?? 0;
/** Ride / Run / Swim / the type itself, as a coach groups sports. */
const group = (type: unknown) => {
  const t = String(type);
  return /Ride/.test(t) ? 'Ride' : /Run/.test(t) ? 'Run' : /Swim/.test(t) ? 'Swim' : t;
};
const sums = (list: ActivityRecord[]) => ({
  n: list.length,
  time: hm(list.reduce((s, a) => s + num(a, 'moving_time'), 0)),
  km: Math.round(list.reduce((s, a) => s + num(a, 'distance'), 0) / 100) / 10,
  load: Math.round(list.reduce((s, a) => s + num(a, 'icu_training_load'), 0)),
});
const eventsOn = (w: World, from: string, to: string, cats?: string[]) =>
  w.athlete.events.filter((e) => {
    const d = String(e.start_date_local).slice(0, 10);
    return d >= from && d <= to && (!cats || cats.includes(String(e.category)));
  });
const wellness = (w: World, d: string) => w.athlete.wellness.get(d) ?? {};
const ride = (w: World) => w.athlete.sportSettings.find((s) => (s.types as string[]).includes('Ride'))!;
const run = (w: World) => w.athlete.sportSettings.find((s) => (s.types as string[]).includes('Run'))!;

// ---------------------------------------------------------------- the questions

export const QUESTIONS: Question[] = [
  // ---- form and fitness
  {
    q: "How's my form today?",
    async run(ask, w) {
      const r = await ask<{ current: Json }>('get_fitness');
      const t = wellness(w, w.today);
      assert.equal(r.current.date, w.today);
      assert.equal(r.current.form, r1((t.ctl as number) - (t.atl as number)));
    },
  },
  {
    q: 'What are my fitness and fatigue right now?',
    async run(ask, w) {
      const r = await ask<{ current: Json }>('get_fitness', { oldest: addDays(w.today, -6), newest: w.today });
      assert.equal(r.current.ctl, r1(wellness(w, w.today).ctl));
      assert.equal(r.current.atl, r1(wellness(w, w.today).atl));
    },
  },
  {
    q: 'How much has my fitness changed over the last 4 weeks?',
    async run(ask, w) {
      const r = await ask<{ change_28d: Json }>('get_fitness', { oldest: addDays(w.today, -27), newest: w.today });
      assert.equal(r.change_28d.ctl, r1((wellness(w, w.today).ctl as number) - (wellness(w, addDays(w.today, -28)).ctl as number)));
    },
  },
  {
    q: "What's my ramp rate this week?",
    async run(ask, w) {
      const r = await ask<{ daily: { to: string; ramp: number[] } }>('get_fitness', { oldest: addDays(w.today, -6), newest: w.today });
      assert.equal(r.daily.ramp.at(-1), r1(wellness(w, w.today).rampRate));
    },
  },
  {
    q: 'What will my form be on the day of my A race if I follow the plan?',
    async run(ask, w) {
      const races = await ask<{ events: Table }>('list_events', { category: 'RACE_A', newest: addDays(w.today, 365) });
      const race = rows(races.events)[0]!;
      assert.equal(race.name, SAMPLE_FACTS.raceAName);
      const day = String(race.date).slice(0, 10);
      const r = await ask<{ projection_end: Json }>('get_fitness', { oldest: addDays(w.today, -13), newest: day });
      const p = wellness(w, day);
      assert.equal(r.projection_end.date, day);
      assert.equal(r.projection_end.form, r1((p.ctl as number) - (p.atl as number)));
    },
  },
  // ---- profile and thresholds
  {
    q: "What's my FTP and threshold heart rate on the bike?",
    async run(ask, w) {
      const r = await ask<{ sports: Json[] }>('get_athlete');
      const bike = r.sports.find((s) => (s.types as string[]).includes('Ride'))!;
      assert.equal(bike.ftp_w, ride(w).ftp);
      assert.equal(bike.lthr_bpm, ride(w).lthr);
    },
  },
  {
    q: 'What are my heart rate zones for running?',
    async run(ask, w) {
      const r = await ask<{ sports: Json[] }>('get_athlete');
      const running = r.sports.find((s) => (s.types as string[]).includes('Run'))!;
      assert.deepEqual(running.hr_zones_bpm, run(w).hr_zones);
    },
  },
  // ---- activities
  {
    q: 'Show me my last 5 activities.',
    async run(ask, w) {
      const r = await ask<{ activities: Table }>('list_activities', { limit: 5 });
      assert.deepEqual(
        rows(r.activities).map((a) => a.id),
        w.athlete.activities.slice(0, 5).map((a) => a.id),
      );
    },
  },
  {
    q: 'What did I do on Saturday?',
    async run(ask, w) {
      const sat = addDays(monday(w.today), -2);
      const r = await ask<{ activities: Table }>('list_activities', { oldest: sat, newest: sat });
      const want = done(w, sat, sat);
      assert.ok(want.length > 0);
      assert.deepEqual(
        rows(r.activities).map((a) => a.name),
        want.map((a) => a.json.name),
      );
    },
  },
  {
    q: 'How much did I train in the last 4 weeks?',
    async run(ask, w) {
      const from = addDays(w.today, -27);
      const r = await ask<{ totals: Table; next?: string }>('list_activities', { oldest: from, newest: w.today });
      const list = done(w, from, w.today);
      assert.equal(r.next, undefined, 'a month fits one page');
      assert.deepEqual(
        rows(r.totals).find((t) => t.sport === 'all'),
        { sport: 'all', ...sums(list) },
      );
    },
  },
  {
    q: 'How many hours did I ride this month?',
    async run(ask, w) {
      const from = `${w.today.slice(0, 8)}01`;
      const r = await ask<{ totals: Table }>('list_activities', { oldest: from, sport: 'bike' });
      const list = done(w, from, w.today).filter((a) => group(a.json.type) === 'Ride');
      assert.deepEqual(rows(r.totals), [{ sport: 'Ride', ...sums(list) }]);
    },
  },
  {
    q: 'How far have I run in the last 4 weeks?',
    async run(ask, w) {
      const from = addDays(w.today, -27);
      const r = await ask<{ totals: Table }>('list_activities', { oldest: from, sport: 'running' });
      const list = done(w, from, w.today).filter((a) => group(a.json.type) === 'Run');
      assert.equal(rows(r.totals)[0]!.km, sums(list).km);
    },
  },
  {
    q: 'How many swims did I do in the last 3 months?',
    async run(ask, w) {
      const from = addDays(w.today, -89);
      const r = await ask<{ totals: Table }>('list_activities', { oldest: from, sport: 'swimming' });
      assert.equal(rows(r.totals)[0]!.n, done(w, from, w.today).filter((a) => group(a.json.type) === 'Swim').length);
    },
  },
  {
    q: 'Break down my training by sport for the last 4 weeks.',
    async run(ask, w) {
      const from = addDays(w.today, -27);
      const r = await ask<{ totals: Table }>('list_activities', { oldest: from, newest: w.today, limit: 1 });
      const list = done(w, from, w.today);
      for (const t of rows(r.totals).filter((x) => x.sport !== 'all')) {
        assert.deepEqual(t, { sport: t.sport, ...sums(list.filter((a) => group(a.json.type) === t.sport)) }, String(t.sport));
      }
      assert.equal(rows(r.totals).find((t) => t.sport === 'all')!.n, list.length);
    },
  },
  {
    q: 'How did my last long ride go?',
    async run(ask, w) {
      const found = await ask<{ activities: Table }>('search_activities', { query: 'long ride', limit: 1 });
      const id = rows(found.activities)[0]!.id as string;
      const want = w.athlete.activities.find((a) => !a.stub && /long ride/i.test(String(a.json.name)))!;
      assert.equal(id, want.id);
      const r = await ask<{ activity: Json }>('get_activity', { activity_id: id });
      assert.equal(r.activity.load, want.json.icu_training_load);
      assert.equal(r.activity.np_w, want.json.icu_weighted_avg_watts);
    },
  },
  {
    q: 'Show me the intervals of my last VO2max session.',
    async run(ask, w) {
      const found = await ask<{ activities: Table }>('search_activities', { query: 'VO2', limit: 1 });
      const id = rows(found.activities)[0]!.id as string;
      const want = w.athlete.activities.find((a) => !a.stub && /VO2/.test(String(a.json.name)))!;
      assert.equal(id, want.id);
      const r = await ask<{ intervals: Table }>('get_activity', { activity_id: id, include_intervals: true });
      assert.equal(r.intervals.rows.length, want.summary!.intervals.length);
    },
  },
  {
    q: 'How much time did I spend in each power zone on Saturday?',
    async run(ask, w) {
      const sat = addDays(monday(w.today), -2);
      const list = await ask<{ activities: Table }>('list_activities', { oldest: sat, newest: sat, sport: 'Ride' });
      const id = rows(list.activities)[0]!.id as string;
      const r = await ask<{ activity: Json }>('get_activity', { activity_id: id });
      const want = w.athlete.activities.find((a) => a.id === id)!.json.icu_zone_times as { id: string; secs: number }[];
      assert.equal(r.activity.power_zones_s, want.map((z) => `${z.id}:${Math.round(z.secs)}`).join(' '));
    },
  },
  {
    q: 'Did my heart rate drift on my last long ride?',
    async run(ask, w) {
      const found = await ask<{ activities: Table }>('list_activities', { sport: 'Ride', limit: 3 });
      const long = rows(found.activities).find((a) => /long/i.test(String(a.name)))!;
      const r = await ask<{ summary: Json }>('get_streams', { activity_id: long.id, types: 'heartrate', points: 12 });
      assert.equal(typeof r.summary.decoupling_pct, 'number');
      assert.equal(r.summary.sport, w.athlete.activities.find((a) => a.id === long.id)!.json.type);
    },
  },
  {
    q: 'Show my power and heart rate through my last ride.',
    async run(ask, w) {
      const last = w.athlete.activities.find((a) => !a.stub && group(a.json.type) === 'Ride')!;
      const found = await ask<{ activities: Table }>('list_activities', { sport: 'cycling', limit: 1 });
      assert.equal(rows(found.activities)[0]!.id, last.id);
      const r = await ask<{ series: Table; points: number }>('get_streams', { activity_id: last.id, types: ['power', 'hr'], points: 30 });
      assert.deepEqual(r.series.columns, ['time_s', 'watts', 'heartrate']);
      assert.ok(r.points <= 30 && r.points > 20);
    },
  },
  {
    q: 'When was my club time trial and what power did I hold?',
    async run(ask, w) {
      const race = w.athlete.activities.find((a) => a.json.race === true)!;
      const r = await ask<{ activities: Table }>('list_activities', {
        oldest: addDays(w.today, -60),
        newest: addDays(w.today, -45),
        sport: 'Ride',
      });
      const row = rows(r.activities).find((a) => a.id === race.id)!;
      assert.equal(row.avg_w, race.json.icu_average_watts);
    },
  },
  // ---- curves
  {
    q: 'How does my power curve compare with the previous block?',
    async run(ask, w) {
      const r = await ask<{ a: string; b: string; curve: Table }>('get_curves');
      const [a, b] = [r.a, r.b].map((s) => `r.${s.replace('..', '.')}`);
      const fake = athleteCurves(w.athlete, 'power', 'Ride', [a!, b!], null);
      assert.ok(fake.ok);
      const [ca] = (fake.body as { list: { secs: number[]; values: number[] }[] }).list;
      const twenty = rows(r.curve).find((x) => x.dur === '20m')!;
      assert.equal(twenty.a, ca!.values[ca!.secs.indexOf(1200)] ?? null);
    },
  },
  {
    q: "What's my best 5-minute power in the last 6 weeks?",
    async run(ask, w) {
      const r = await ask<{ a: string; curve: Table }>('get_curves', { kind: 'Power', durations: 300 });
      const fake = athleteCurves(w.athlete, 'power', 'Ride', [`r.${r.a.replace('..', '.')}`], null);
      assert.ok(fake.ok);
      const [ca] = (fake.body as { list: { secs: number[]; values: number[] }[] }).list;
      assert.equal(rows(r.curve)[0]!.a, ca!.values[ca!.secs.indexOf(300)]);
    },
  },
  {
    q: 'Has my 5k running pace improved since the summer?',
    async run(ask, w) {
      const r = await ask<{ unit: string; curve: Table }>('get_curves', {
        kind: 'pace',
        sport: 'running',
        oldest: addDays(w.today, -41),
        compare_oldest: addDays(w.today, -150),
        compare_newest: addDays(w.today, -109),
        durations: [5000],
      });
      assert.match(r.unit, /\/km/);
      assert.match(String(rows(r.curve)[0]!.a), /^\d+:\d\d$/);
    },
  },
  // ---- wellness
  {
    q: 'How has my sleep been this week?',
    async run(ask, w) {
      const r = await ask<{ days: Table }>('get_wellness');
      for (const d of rows(r.days)) {
        const secs = wellness(w, d.date as string).sleepSecs as number | null | undefined;
        assert.equal(d.sleep ?? null, secs ? hm(secs) : null, String(d.date));
      }
    },
  },
  {
    q: 'Is my HRV trending down over the last month?',
    async run(ask, w) {
      const r = await ask<{ days: Table; next?: string }>('get_wellness', { oldest: addDays(w.today, -27) });
      assert.equal(r.next, undefined);
      for (const d of rows(r.days)) {
        const hrv = wellness(w, d.date as string).hrv as number | null | undefined;
        assert.equal(d.hrv ?? null, hrv == null ? null : Math.round(hrv), String(d.date));
      }
    },
  },
  {
    q: "What's my resting heart rate been the last two weeks, and which days are missing?",
    async run(ask, w) {
      const r = await ask<{ days: Table; missing?: string[] }>('get_wellness', { oldest: addDays(w.today, -13) });
      for (const d of rows(r.days)) assert.equal(d.rhr ?? null, wellness(w, d.date as string).restingHR ?? null);
      const shown = new Set(rows(r.days).map((d) => d.date));
      for (const m of r.missing ?? []) assert.ok(!shown.has(m));
    },
  },
  {
    q: 'What has my average sleep and HRV been over the last 3 months?',
    async run(ask, w) {
      const from = addDays(w.today, -89);
      const r = await ask<{ summary: Json; next?: string }>('get_wellness', { oldest: from });
      assert.ok(r.next, 'rows come in pages');
      const days = [...w.athlete.wellness.values()].filter((d) => (d.id as string) >= from && (d.id as string) <= w.today);
      const mean = (k: string) => {
        const xs = days.map((d) => d[k]).filter((v): v is number => typeof v === 'number' && v > 0);
        return xs.reduce((s, v) => s + v, 0) / xs.length;
      };
      assert.equal(r.summary.hrv_avg, Math.round(mean('hrv')));
      assert.equal(r.summary.sleep_avg, hm(mean('sleepSecs')));
    },
  },
  {
    q: 'How did I rate my soreness and mood yesterday?',
    async run(ask, w) {
      const y = addDays(w.today, -1);
      const r = await ask<{ days: Table }>('get_wellness', { oldest: y, newest: y });
      const want = wellness(w, y);
      const row = rows(r.days)[0]!;
      if (want.mood != null) assert.match(String(row.mood), new RegExp(`^${want.mood} `));
      if (want.soreness != null) assert.match(String(row.soreness), new RegExp(`^${want.soreness} `));
    },
  },
  // ---- the plan
  {
    q: "What's planned for this week?",
    async run(ask, w) {
      const r = await ask<{ events: Table }>('list_events');
      const want = eventsOn(w, w.today, addDays(w.today, 6));
      assert.deepEqual(
        rows(r.events)
          .map((e) => e.id)
          .sort(),
        want.map((e) => e.id).sort(),
      );
    },
  },
  {
    q: "What's my workout tomorrow?",
    async run(ask, w) {
      const tomorrow = addDays(w.today, 1);
      const r = await ask<{ events: Table }>('list_events', { oldest: tomorrow, newest: tomorrow, category: 'workout' });
      const want = eventsOn(w, tomorrow, tomorrow, ['WORKOUT']);
      assert.deepEqual(
        rows(r.events).map((e) => e.name),
        want.map((e) => e.name),
      );
    },
  },
  {
    q: 'When is my next race?',
    async run(ask, w) {
      const r = await ask<{ events: Table }>('list_events', { category: 'race', newest: addDays(w.today, 180) });
      const first = rows(r.events)[0]!;
      assert.equal(String(first.date).slice(0, 10), addDays(w.today, SAMPLE_FACTS.raceCOffsetDays));
      assert.equal(first.cat, 'RACE_C');
    },
  },
  {
    q: 'How many weeks until my A race?',
    async run(ask, w) {
      const r = await ask<{ events: Table }>('list_events', { category: 'race_a', newest: addDays(w.today, 365) });
      assert.equal(String(rows(r.events)[0]!.date).slice(0, 10), addDays(w.today, SAMPLE_FACTS.raceAOffsetDays));
    },
  },
  {
    q: 'Do I have any notes on the calendar this month?',
    async run(ask, w) {
      const r = await ask<{ events: Table }>('list_events', { category: 'notes', newest: addDays(w.today, 30) });
      const want = eventsOn(w, w.today, addDays(w.today, 30), ['NOTE']);
      assert.deepEqual(
        rows(r.events).map((e) => e.name),
        want.map((e) => e.name),
      );
      assert.ok(want.some((e) => e.name === 'Travel'));
    },
  },
  {
    q: 'How many hours are planned over the next two weeks?',
    async run(ask, w) {
      const r = await ask<{ totals: Table; events: Table }>('list_events', { newest: addDays(w.today, 13), category: ['WORKOUT'] });
      const want = eventsOn(w, w.today, addDays(w.today, 13), ['WORKOUT']);
      const got = rows(r.totals);
      assert.equal(
        got.reduce((n, t) => n + (t.n as number), 0),
        want.length,
      );
      const secs = want.reduce((s, e) => s + ((e.moving_time as number | null) ?? 0), 0);
      const minutes = got.reduce((s, t) => s + Number(String(t.time).split(':')[0]) * 60 + Number(String(t.time).split(':')[1]), 0);
      assert.ok(Math.abs(minutes - secs / 60) <= got.length, `${minutes} min vs ${secs / 60}`);
    },
  },
  {
    q: 'Which workouts are in my library?',
    async run(ask, w) {
      const r = await ask<{ workouts: Table }>('list_library');
      assert.deepEqual(
        rows(r.workouts)
          .map((x) => x.id)
          .sort(),
        w.athlete.workouts.map((x) => x.id).sort(),
      );
    },
  },
  {
    q: "What's in my base plan?",
    async run(ask, w) {
      const r = await ask<{ workouts: Table }>('list_library', { folder: 'base' });
      const folder = w.athlete.folders.find((f) => /base/i.test(String(f.name)))!;
      assert.deepEqual(
        rows(r.workouts)
          .map((x) => x.id)
          .sort(),
        w.athlete.workouts
          .filter((x) => x.folder_id === folder.id)
          .map((x) => x.id)
          .sort(),
      );
    },
  },
  // ---- weekly review
  {
    q: 'How did my training load build over the last 4 weeks?',
    async run(ask, w) {
      const r = await ask<{ weeks: Table }>('get_weekly_review');
      for (const wk of rows(r.weeks)) {
        const list = done(w, wk.week as string, addDays(wk.week as string, 6));
        assert.equal(wk.load, sums(list).load, String(wk.week));
      }
    },
  },
  {
    q: 'Did I miss any planned workouts in the last two weeks?',
    async run(ask, w) {
      const r = await ask<{ plan: Table }>('get_weekly_review', { weeks: 3 });
      const missed = rows(r.plan).filter((p) => p.status === 'missed');
      assert.equal(missed.length, 1);
      const d = missed[0]!.date as string;
      assert.ok(d >= addDays(w.today, -13) && d <= addDays(w.today, -7) && new Date(`${d}T00:00:00Z`).getUTCDay() === 2, d);
    },
  },
  {
    q: 'Compare my swim, bike and run volume week by week.',
    async run(ask, w) {
      const r = await ask<{ sports: Table }>('get_weekly_review', { weeks: 2, end: addDays(w.today, -7) });
      for (const s of rows(r.sports)) {
        const list = done(w, s.week as string, addDays(s.week as string, 6)).filter((a) => group(a.json.type) === s.sport);
        assert.equal(s.n, list.length, `${s.week} ${s.sport}`);
        assert.equal(s.time, sums(list).time);
      }
    },
  },
  // ---- writes: plan, move, delete, log, thresholds
  {
    q: 'Add an easy 45-minute run for tomorrow.',
    async run(ask, w) {
      const tomorrow = addDays(w.today, 1);
      const r = await ask<{ event: Json; parsed: Json }>('create_event', {
        date: tomorrow,
        sport: 'running',
        name: 'Easy run',
        text: '- 45m Z2 Pace',
      });
      const stored = w.athlete.events.find((e) => e.id === r.event.id)!;
      assert.equal(stored.type, 'Run');
      assert.equal(stored.category, 'WORKOUT');
      assert.equal(r.parsed.steps, 1);
      assert.equal(r.parsed.dur, '45:00');
    },
  },
  {
    q: 'Plan me three bike sessions for next week.',
    async run(ask, w) {
      const mon = addDays(monday(w.today), 7);
      const events = [
        {
          date: addDays(mon, 1),
          sport: 'bike',
          name: 'Sweet spot 3x12',
          text: '- 15m 55%\n\n3x\n- 12m 90%\n- 4m 55%\n\n- 10m 50%',
          external_id: 'plan-tue',
        },
        { date: addDays(mon, 3), sport: 'bike', name: 'Endurance 90', text: '- 90m 65%', external_id: 'plan-thu' },
        { date: addDays(mon, 5), sport: 'bike', name: 'Long ride', text: '- 3h 65-75%', external_id: 'plan-sat' },
      ];
      const dry = await ask<{ creates: number }>('upsert_events', { events, dry_run: true });
      assert.equal(dry.creates, 3);
      const r = await ask<{ events: Table }>('upsert_events', { events });
      assert.equal(r.events.rows.length, 3);
      for (const e of events) assert.equal(w.athlete.events.find((x) => x.external_id === e.external_id)!.type, 'Ride');
    },
  },
  {
    q: 'Move that easy run from tomorrow to Thursday.',
    async run(ask, w) {
      const tomorrow = addDays(w.today, 1);
      const thursday = addDays(monday(w.today), 3);
      const list = await ask<{ events: Table }>('list_events', { oldest: tomorrow, newest: tomorrow, category: 'WORKOUT' });
      const target = rows(list.events).find((e) => e.name === 'Easy run');
      assert.ok(target, 'the easy run is planned tomorrow');
      await ask('update_event', { event_id: target.id, date: thursday });
      assert.equal(String(w.athlete.events.find((e) => e.id === target.id)!.start_date_local).slice(0, 10), thursday);
    },
  },
  {
    q: "I'm wiped out: delete today's session.",
    async run(ask, w) {
      const list = await ask<{ events: Table }>('list_events', { oldest: w.today, newest: w.today, category: 'workout' });
      const target = rows(list.events)[0]!;
      const before = eventsOn(w, w.today, w.today, ['WORKOUT']).length;
      await ask('delete_event', { event_id: target.id });
      assert.equal(eventsOn(w, w.today, w.today, ['WORKOUT']).length, before - 1);
      assert.equal(
        w.athlete.events.find((e) => e.id === target.id),
        undefined,
      );
    },
  },
  {
    q: 'Put a note on Friday: travelling for work, no training.',
    async run(ask, w) {
      const friday = addDays(monday(w.today), 4);
      const r = await ask<{ event: Json }>('create_event', {
        date: friday,
        category: 'note',
        name: 'Travelling for work',
        text: 'No training',
      });
      const stored = w.athlete.events.find((e) => e.id === r.event.id)!;
      assert.equal(stored.category, 'NOTE');
      assert.equal(String(stored.start_date_local).slice(0, 10), friday);
    },
  },
  {
    q: "I'm sick today, mark it on the calendar.",
    async run(ask, w) {
      const r = await ask<{ event: Json }>('create_event', { date: w.today, category: 'Sick', name: 'Sick' });
      assert.equal(w.athlete.events.find((e) => e.id === r.event.id)!.category, 'SICK');
    },
  },
  {
    q: 'Log my weight: 70.2 kg this morning.',
    async run(ask, w) {
      await ask('update_wellness', { date: w.today, set: { weight: 70.2 } });
      assert.equal(wellness(w, w.today).weight, 70.2);
    },
  },
  {
    q: 'I slept 7:30 last night and it was good sleep; legs are a bit sore.',
    async run(ask, w) {
      await ask('update_wellness', { date: w.today, set: { sleep_hours: '7:30', sleep_quality: 'good', soreness: 'avg' } });
      const t = wellness(w, w.today);
      assert.equal(t.sleepSecs, 27_000);
      assert.equal(t.sleepQuality, 2);
      assert.equal(t.soreness, 2);
    },
  },
  {
    q: 'I did a ramp test: set my FTP to 272 W.',
    async run(ask, w) {
      const dry = await ask<{ would_send: Json }>('update_thresholds', { sport: 'cycling', ftp: 272, dry_run: true });
      assert.deepEqual(dry.would_send, { ftp: 272 });
      const r = await ask<{ after: Json }>('update_thresholds', { sport: 'cycling', ftp: 272 });
      assert.equal(r.after.ftp_w, 272);
      assert.equal(ride(w).ftp, 272);
    },
  },
  {
    q: 'My run threshold pace is now 4:20 per km.',
    async run(ask, w) {
      await ask('update_thresholds', { sport: 'Run', threshold_pace: '4:20/km' });
      assert.equal(Math.round((run(w).threshold_pace as number) * 1000) / 1000, Math.round((1000 / 260) * 1000) / 1000);
    },
  },
  // ---- coach
  {
    q: 'Coach: how are my athletes doing today?',
    async run(ask, w) {
      const r = await ask<{ athletes: Table }>('list_athletes');
      const other = rows(r.athletes).find((a) => a.id === w.coached.id)!;
      const t = w.coached.wellness.get(w.coached.today)!;
      assert.equal(other.form, r1((t.ctl as number) - (t.atl as number)));
    },
  },
  {
    q: 'Coach: what did my other athlete do last week?',
    async run(ask, w) {
      const from = addDays(monday(w.coached.today), -7);
      const r = await ask<{ totals: Table }>('list_activities', { athlete_id: w.coached.id, oldest: from, newest: addDays(from, 6) });
      const list = w.coached.activities.filter((a) => !a.stub && a.date >= from && a.date <= addDays(from, 6));
      const sports = rows(r.totals).filter((t) => t.sport !== 'all');
      assert.equal(
        sports.reduce((n, t) => n + (t.n as number), 0),
        list.length,
      );
    },
  },
];
