// Segment's Node client (@segment/analytics-node, the version in package.json) against a running hub: sends identify,
// group, track, page, screen and alias for a user of its own, waits until the hub has applied them (the inbox rows
// through psql) and checks what the sandbox holds. Not part of the Maven tests; see README "Tracking API".
//
//   HUB=http://127.0.0.1:8080 WRITE_KEY=demo-write-key SANDBOX=http://127.0.0.1:8089 SANDBOX_TOKEN=sandbox-token \
//   PSQL="psql -h 127.0.0.1 -U postgres -d test -qAt" INBOX=intercom_hub.tracking_inbox node run.mjs
import { Analytics } from '@segment/analytics-node'
import { execSync } from 'node:child_process'

const env = (name, fallback) => process.env[name] ?? fallback
const hub = env('HUB', 'http://127.0.0.1:8080')
const sandbox = env('SANDBOX', 'http://127.0.0.1:8089')
const token = env('SANDBOX_TOKEN', 'sandbox-token')
const psql = env('PSQL', 'psql -h 127.0.0.1 -U postgres -d test -qAt')
const inbox = env('INBOX', 'intercom_hub.tracking_inbox')
const run = 'node' + Date.now().toString(36)
const userId = `${run}-user`
const visitor = `${run}-anon`

const failures = []
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what) }

const analytics = new Analytics({ writeKey: env('WRITE_KEY', 'demo-write-key'), host: hub, flushAt: 20, maxRetries: 2 })
analytics.on('error', (e) => failures.push(`client error: ${e.code ?? ''} ${e.reason ?? e.message ?? e}`))

// a visitor known by email only (a lead), then the user it signs up as; the alias merges the one into the other
analytics.identify({ anonymousId: visitor, messageId: `${run}-1`, traits: { email: `${run}-lead@example.com` } })
analytics.identify({ userId, messageId: `${run}-2`,
  traits: { email: `${userId}@example.com`, firstName: 'Node', lastName: 'Client', plan_tier: 'pro' } })
analytics.group({ userId, groupId: `${run}-co`, messageId: `${run}-3`, traits: { name: `Node Co ${run}`, plan: 'team' } })
analytics.track({ userId, event: 'Report Exported', messageId: `${run}-4`, properties: { format: 'csv' } })
analytics.page({ userId, name: 'Pricing', messageId: `${run}-5`, timestamp: new Date('2024-06-01T08:30:00Z') })
analytics.screen({ userId, name: 'Settings', messageId: `${run}-6`, timestamp: new Date('2024-06-01T09:30:00Z') })
analytics.alias({ previousId: visitor, userId, messageId: `${run}-7` })
await analytics.closeAndFlush({ timeout: 30000 })
check(failures.length === 0, 'the client delivered every call (200 from the hub)')

const sql = (query) => execSync(`${psql} -c "${query}"`, { encoding: 'utf8' }).trim()
let rows = []
for (let i = 0; i < 120; i++) {
  rows = sql(`SELECT message_id || '|' || call_type || '|' || COALESCE(outcome, '-') FROM ${inbox}`
    + ` WHERE message_id LIKE '${run}-%' ORDER BY seq`).split('\n').filter(Boolean)
  if (rows.length === 7 && rows.every((r) => !r.endsWith('|-'))) break
  await new Promise((r) => setTimeout(r, 500))
}
console.log(rows.join('\n'))
check(rows.length === 7, 'the hub stored the 7 calls')
check(rows.every((r) => r.endsWith('|applied')), 'the hub applied all 7 to Intercom')

const get = async (path) => (await fetch(sandbox + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } })).json()
const id = sql(`SELECT intercom_id FROM ${inbox} WHERE message_id = '${run}-2'`)
const contact = await get(`/contacts/${id}`)
check(contact.external_id === userId && contact.name === 'Node Client', `the contact ${id} is the user, named from the traits`)
check(contact.last_seen_at === Date.parse('2024-06-01T09:30:00Z') / 1000, 'last_seen_at is the screen view\'s time')
check(contact.custom_attributes?.plan_tier === 'pro', 'the custom trait is a custom attribute')
check((contact.companies?.data ?? []).length === 1, 'the user is attached to the group\'s company')
const lead = sql(`SELECT intercom_id FROM ${inbox} WHERE message_id = '${run}-1'`)
const gone = await fetch(`${sandbox}/contacts/${lead}`, { headers: { Authorization: `Bearer ${token}` } })
check(gone.status === 404, `the visitor's lead ${lead} was merged into the user`)

if (failures.length) {
  console.error(`${failures.length} check(s) failed`)
  process.exit(1)
}
console.log('@segment/analytics-node against the hub: every check passed')
