DROP TABLE api_clients;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
