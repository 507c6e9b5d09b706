-- The demo's reverse-ETL models (H2, schema demo_models): what a data team's warehouse tables would be. The demo's
-- push syncs (routes/demo/intercom-push-demo.camel.yaml) send them to the sandbox. Re-created at every demo start.
CREATE SCHEMA IF NOT EXISTS demo_models;
DROP TABLE IF EXISTS demo_models.crm_companies;
DROP TABLE IF EXISTS demo_models.crm_users;
DROP TABLE IF EXISTS demo_models.product_events;
CREATE TABLE demo_models.crm_companies (company_id VARCHAR(40), name VARCHAR(100), plan VARCHAR(40),
    monthly_spend DECIMAL(10, 2), remote_created_at TIMESTAMP);
INSERT INTO demo_models.crm_companies VALUES
    ('crm-acme', 'Acme Rockets', 'enterprise', 4200.00, TIMESTAMP '2023-02-01 09:00:00'),
    ('crm-globex', 'Globex', 'pro', 990.00, TIMESTAMP '2023-06-15 12:30:00'),
    ('crm-initech', 'Initech', 'starter', 49.00, TIMESTAMP '2024-01-10 08:00:00');
CREATE TABLE demo_models.crm_users (external_id VARCHAR(40), email VARCHAR(100), name VARCHAR(100),
    signed_up_at TIMESTAMP, company_id VARCHAR(40), segment VARCHAR(40));
INSERT INTO demo_models.crm_users
    SELECT 'crm-user-' || x, 'crm.user' || x || '@example.com', 'CRM User ' || x,
           DATEADD('DAY', x, TIMESTAMP '2024-01-01 10:00:00'),
           CASE MOD(x, 3) WHEN 0 THEN 'crm-acme' WHEN 1 THEN 'crm-globex' ELSE 'crm-initech' END,
           CASE WHEN MOD(x, 4) = 0 THEN 'champion' ELSE 'user' END
    FROM SYSTEM_RANGE(1, 20);
CREATE TABLE demo_models.product_events (event_id VARCHAR(40), event_name VARCHAR(40), created_at TIMESTAMP,
    user_id VARCHAR(40), metadata_plan VARCHAR(40), metadata_seats INT);
INSERT INTO demo_models.product_events
    SELECT 'evt-' || x, CASE WHEN MOD(x, 2) = 0 THEN 'upgraded-plan' ELSE 'invited-teammate' END,
           DATEADD('HOUR', x, TIMESTAMP '2024-06-01 00:00:00'), 'crm-user-' || (MOD(x, 20) + 1), 'pro', MOD(x, 7) + 1
    FROM SYSTEM_RANGE(1, 40);
