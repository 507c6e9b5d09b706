-- The demo's reverse-ETL models (schema demo_models): what a data team's warehouse tables would be. The demo's push
-- syncs (routes/demo/intercom-push-demo.camel.yaml) send them to the sandbox. Re-created at every demo start, in
-- plain SQL that H2, PostgreSQL and MariaDB all run (the demo may use any of them as its warehouse).
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
INSERT INTO demo_models.crm_users VALUES
    ('crm-user-1', 'crm.user1@example.com', 'CRM User 1', TIMESTAMP '2024-01-02 10:00:00', 'crm-globex', 'user'),
    ('crm-user-2', 'crm.user2@example.com', 'CRM User 2', TIMESTAMP '2024-01-03 10:00:00', 'crm-initech', 'user'),
    ('crm-user-3', 'crm.user3@example.com', 'CRM User 3', TIMESTAMP '2024-01-04 10:00:00', 'crm-acme', 'user'),
    ('crm-user-4', 'crm.user4@example.com', 'CRM User 4', TIMESTAMP '2024-01-05 10:00:00', 'crm-globex', 'champion'),
    ('crm-user-5', 'crm.user5@example.com', 'CRM User 5', TIMESTAMP '2024-01-06 10:00:00', 'crm-initech', 'user'),
    ('crm-user-6', 'crm.user6@example.com', 'CRM User 6', TIMESTAMP '2024-01-07 10:00:00', 'crm-acme', 'user'),
    ('crm-user-7', 'crm.user7@example.com', 'CRM User 7', TIMESTAMP '2024-01-08 10:00:00', 'crm-globex', 'user'),
    ('crm-user-8', 'crm.user8@example.com', 'CRM User 8', TIMESTAMP '2024-01-09 10:00:00', 'crm-initech', 'champion'),
    ('crm-user-9', 'crm.user9@example.com', 'CRM User 9', TIMESTAMP '2024-01-10 10:00:00', 'crm-acme', 'user'),
    ('crm-user-10', 'crm.user10@example.com', 'CRM User 10', TIMESTAMP '2024-01-11 10:00:00', 'crm-globex', 'user'),
    ('crm-user-11', 'crm.user11@example.com', 'CRM User 11', TIMESTAMP '2024-01-12 10:00:00', 'crm-initech', 'user'),
    ('crm-user-12', 'crm.user12@example.com', 'CRM User 12', TIMESTAMP '2024-01-13 10:00:00', 'crm-acme', 'champion'),
    ('crm-user-13', 'crm.user13@example.com', 'CRM User 13', TIMESTAMP '2024-01-14 10:00:00', 'crm-globex', 'user'),
    ('crm-user-14', 'crm.user14@example.com', 'CRM User 14', TIMESTAMP '2024-01-15 10:00:00', 'crm-initech', 'user'),
    ('crm-user-15', 'crm.user15@example.com', 'CRM User 15', TIMESTAMP '2024-01-16 10:00:00', 'crm-acme', 'user'),
    ('crm-user-16', 'crm.user16@example.com', 'CRM User 16', TIMESTAMP '2024-01-17 10:00:00', 'crm-globex', 'champion'),
    ('crm-user-17', 'crm.user17@example.com', 'CRM User 17', TIMESTAMP '2024-01-18 10:00:00', 'crm-initech', 'user'),
    ('crm-user-18', 'crm.user18@example.com', 'CRM User 18', TIMESTAMP '2024-01-19 10:00:00', 'crm-acme', 'user'),
    ('crm-user-19', 'crm.user19@example.com', 'CRM User 19', TIMESTAMP '2024-01-20 10:00:00', 'crm-globex', 'user'),
    ('crm-user-20', 'crm.user20@example.com', 'CRM User 20', TIMESTAMP '2024-01-21 10:00:00', 'crm-initech', 'champion');
CREATE TABLE demo_models.product_events (event_id VARCHAR(40), event_name VARCHAR(40), created_at TIMESTAMP,
    user_id VARCHAR(40), metadata_plan VARCHAR(40), metadata_seats INT);
INSERT INTO demo_models.product_events VALUES
    ('evt-1', 'invited-teammate', TIMESTAMP '2024-06-01 01:00:00', 'crm-user-2', 'pro', 2),
    ('evt-2', 'upgraded-plan', TIMESTAMP '2024-06-01 02:00:00', 'crm-user-3', 'pro', 3),
    ('evt-3', 'invited-teammate', TIMESTAMP '2024-06-01 03:00:00', 'crm-user-4', 'pro', 4),
    ('evt-4', 'upgraded-plan', TIMESTAMP '2024-06-01 04:00:00', 'crm-user-5', 'pro', 5),
    ('evt-5', 'invited-teammate', TIMESTAMP '2024-06-01 05:00:00', 'crm-user-6', 'pro', 6),
    ('evt-6', 'upgraded-plan', TIMESTAMP '2024-06-01 06:00:00', 'crm-user-7', 'pro', 7),
    ('evt-7', 'invited-teammate', TIMESTAMP '2024-06-01 07:00:00', 'crm-user-8', 'pro', 1),
    ('evt-8', 'upgraded-plan', TIMESTAMP '2024-06-01 08:00:00', 'crm-user-9', 'pro', 2),
    ('evt-9', 'invited-teammate', TIMESTAMP '2024-06-01 09:00:00', 'crm-user-10', 'pro', 3),
    ('evt-10', 'upgraded-plan', TIMESTAMP '2024-06-01 10:00:00', 'crm-user-11', 'pro', 4),
    ('evt-11', 'invited-teammate', TIMESTAMP '2024-06-01 11:00:00', 'crm-user-12', 'pro', 5),
    ('evt-12', 'upgraded-plan', TIMESTAMP '2024-06-01 12:00:00', 'crm-user-13', 'pro', 6),
    ('evt-13', 'invited-teammate', TIMESTAMP '2024-06-01 13:00:00', 'crm-user-14', 'pro', 7),
    ('evt-14', 'upgraded-plan', TIMESTAMP '2024-06-01 14:00:00', 'crm-user-15', 'pro', 1),
    ('evt-15', 'invited-teammate', TIMESTAMP '2024-06-01 15:00:00', 'crm-user-16', 'pro', 2),
    ('evt-16', 'upgraded-plan', TIMESTAMP '2024-06-01 16:00:00', 'crm-user-17', 'pro', 3),
    ('evt-17', 'invited-teammate', TIMESTAMP '2024-06-01 17:00:00', 'crm-user-18', 'pro', 4),
    ('evt-18', 'upgraded-plan', TIMESTAMP '2024-06-01 18:00:00', 'crm-user-19', 'pro', 5),
    ('evt-19', 'invited-teammate', TIMESTAMP '2024-06-01 19:00:00', 'crm-user-20', 'pro', 6),
    ('evt-20', 'upgraded-plan', TIMESTAMP '2024-06-01 20:00:00', 'crm-user-1', 'pro', 7),
    ('evt-21', 'invited-teammate', TIMESTAMP '2024-06-01 21:00:00', 'crm-user-2', 'pro', 1),
    ('evt-22', 'upgraded-plan', TIMESTAMP '2024-06-01 22:00:00', 'crm-user-3', 'pro', 2),
    ('evt-23', 'invited-teammate', TIMESTAMP '2024-06-01 23:00:00', 'crm-user-4', 'pro', 3),
    ('evt-24', 'upgraded-plan', TIMESTAMP '2024-06-02 00:00:00', 'crm-user-5', 'pro', 4),
    ('evt-25', 'invited-teammate', TIMESTAMP '2024-06-02 01:00:00', 'crm-user-6', 'pro', 5),
    ('evt-26', 'upgraded-plan', TIMESTAMP '2024-06-02 02:00:00', 'crm-user-7', 'pro', 6),
    ('evt-27', 'invited-teammate', TIMESTAMP '2024-06-02 03:00:00', 'crm-user-8', 'pro', 7),
    ('evt-28', 'upgraded-plan', TIMESTAMP '2024-06-02 04:00:00', 'crm-user-9', 'pro', 1),
    ('evt-29', 'invited-teammate', TIMESTAMP '2024-06-02 05:00:00', 'crm-user-10', 'pro', 2),
    ('evt-30', 'upgraded-plan', TIMESTAMP '2024-06-02 06:00:00', 'crm-user-11', 'pro', 3),
    ('evt-31', 'invited-teammate', TIMESTAMP '2024-06-02 07:00:00', 'crm-user-12', 'pro', 4),
    ('evt-32', 'upgraded-plan', TIMESTAMP '2024-06-02 08:00:00', 'crm-user-13', 'pro', 5),
    ('evt-33', 'invited-teammate', TIMESTAMP '2024-06-02 09:00:00', 'crm-user-14', 'pro', 6),
    ('evt-34', 'upgraded-plan', TIMESTAMP '2024-06-02 10:00:00', 'crm-user-15', 'pro', 7),
    ('evt-35', 'invited-teammate', TIMESTAMP '2024-06-02 11:00:00', 'crm-user-16', 'pro', 1),
    ('evt-36', 'upgraded-plan', TIMESTAMP '2024-06-02 12:00:00', 'crm-user-17', 'pro', 2),
    ('evt-37', 'invited-teammate', TIMESTAMP '2024-06-02 13:00:00', 'crm-user-18', 'pro', 3),
    ('evt-38', 'upgraded-plan', TIMESTAMP '2024-06-02 14:00:00', 'crm-user-19', 'pro', 4),
    ('evt-39', 'invited-teammate', TIMESTAMP '2024-06-02 15:00:00', 'crm-user-20', 'pro', 5),
    ('evt-40', 'upgraded-plan', TIMESTAMP '2024-06-02 16:00:00', 'crm-user-1', 'pro', 6);
