-- Every ruleset version the service ever loaded, with all its files, kept forever: any past decision can be
-- replayed under the exact files that made it. A version is sha256:<hex> of its files (see RulesetSource).
CREATE TABLE ruleset_version (
    version     VARCHAR(71)              NOT NULL PRIMARY KEY,
    stored_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_by   VARCHAR(100)             NOT NULL,
    origin      VARCHAR(1000)            NOT NULL,
    file_count  INTEGER                  NOT NULL
);

CREATE TABLE ruleset_file (
    version  VARCHAR(71)  NOT NULL REFERENCES ruleset_version (version),
    path     VARCHAR(255) NOT NULL,
    sha256   VARCHAR(64)  NOT NULL,
    size     INTEGER      NOT NULL,
    content  BYTEA        NOT NULL,
    PRIMARY KEY (version, path)
);
