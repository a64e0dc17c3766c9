"""Signals in the middle of a run, and each kind of bad configuration."""

from __future__ import annotations

from connector_sandbox.fault_matrix import (
    BOTH,
    COUNT,
    TOKEN_PLACEHOLDER,
    Action,
    Kind,
    Outcome,
    Record,
    Scenario,
    Window,
)
from connector_sandbox.fault_scenarios.outcomes import (
    NONE_SENT,
    SLOW_IOCS,
    STOPPED,
    config_refused,
    failed,
    setting_refused,
)

PROCESS_SCENARIOS = (
    Scenario(
        "sigterm_mid_run",
        Kind.PROCESS,
        "SIGTERM in the middle of a run (docker stop)",
        "Closes the work in error with the count of IOCs not processed, saves the state"
        " without moving the window, exits 143.",
        Outcome(
            143,
            (Record("INFO", "Connector stopped by SIGTERM"),),
            failed(STOPPED, NONE_SENT),
            0,
            Window.KEPT,
        ),
        source_faults=SLOW_IOCS,
        action=Action.SIGTERM,
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "sigint_mid_run",
        Kind.PROCESS,
        "SIGINT (Ctrl+C) in the middle of a run",
        "The same as for SIGTERM, exit code 130.",
        Outcome(
            130,
            (Record("INFO", "Connector stopped by Ctrl+C"),),
            failed(STOPPED, NONE_SENT),
            0,
            Window.KEPT,
        ),
        source_faults=SLOW_IOCS,
        action=Action.SIGINT,
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "sigterm_after_the_first_batch",
        Kind.PROCESS,
        "SIGTERM once the first batch of 3 IOCs was sent",
        "Keeps what was sent, counts the rest as not processed, keeps the window: the next"
        " run sends all 8, the first 3 updating the same objects.",
        Outcome(
            143,
            (Record("INFO", "Connector stopped by SIGTERM"),),
            failed(
                STOPPED, f"3 of {COUNT} IOCs ingested; {COUNT - 3} not processed", 1
            ),
            3,
            Window.KEPT,
        ),
        source_faults=SLOW_IOCS,
        settings={"CONNECTOR_BATCH_SIZE": "3"},
        action=Action.SIGTERM,
        action_after="Batch sent",
        rerun=True,
        protocols=BOTH,
    ),
)

REQUIRED = (
    ("OPENCTI_URL", "opencti.url"),
    ("OPENCTI_TOKEN", "opencti.token"),
    ("CONNECTOR_ID", "connector.id"),
    ("IOC_SOURCE_URL", "ioc_source.url"),
    ("IOC_SOURCE_API_KEY", "ioc_source.api_key"),
)

CONFIG_SCENARIOS = (
    *(
        Scenario(
            f"config_missing_{name.lower()}",
            Kind.CONFIG,
            f"{name} not set",
            "Stops at start-up with one line naming the setting.",
            setting_refused(name, setting, "Field required"),
            settings={name: None},
        )
        for name, setting in REQUIRED
    ),
    Scenario(
        "config_missing_everything",
        Kind.CONFIG,
        "No setting at all",
        "Stops at start-up with one line naming every missing setting.",
        config_refused(
            "invalid configuration: "
            + "; ".join(
                f"{setting}: Field required (set {name} or {setting} in config.yml)"
                for name, setting in REQUIRED
            )
        ),
        settings={name: None for name, _ in REQUIRED},
    ),
    Scenario(
        "config_malformed_url",
        Kind.CONFIG,
        "OPENCTI_URL without its http://",
        "Stops at start-up with one line naming the setting.",
        setting_refused(
            "OPENCTI_URL",
            "opencti.url",
            "Input should be a valid URL, relative URL without a base",
        ),
        settings={"OPENCTI_URL": "127.0.0.1:8080"},
    ),
    Scenario(
        "config_url_scheme",
        Kind.CONFIG,
        "IOC_SOURCE_URL is an ftp:// URL",
        "Stops at start-up with one line naming the setting.",
        setting_refused(
            "IOC_SOURCE_URL", "ioc_source.url", "URL scheme should be 'http' or 'https'"
        ),
        settings={"IOC_SOURCE_URL": "ftp://127.0.0.1/iocs"},
    ),
    Scenario(
        "config_token_in_the_url_setting",
        Kind.CONFIG,
        "The token pasted into OPENCTI_URL",
        "Stops at start-up with one line naming the setting, and not the value given.",
        setting_refused(
            "OPENCTI_URL",
            "opencti.url",
            "Input should be a valid URL, relative URL without a base",
        ),
        settings={"OPENCTI_URL": TOKEN_PLACEHOLDER},
    ),
    Scenario(
        "config_wrong_type_integer",
        Kind.CONFIG,
        'IOC_SOURCE_MAX_ATTEMPTS is "many"',
        "Stops at start-up with one line naming the setting.",
        setting_refused(
            "IOC_SOURCE_MAX_ATTEMPTS",
            "ioc_source.max_attempts",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        settings={"IOC_SOURCE_MAX_ATTEMPTS": "many"},
    ),
    Scenario(
        "config_wrong_type_boolean",
        Kind.CONFIG,
        'CONNECTOR_RUN_AND_TERMINATE is "maybe"',
        "Stops at start-up with one line naming the setting.",
        setting_refused(
            "CONNECTOR_RUN_AND_TERMINATE",
            "connector.run_and_terminate",
            "Input should be a valid boolean, unable to interpret input",
        ),
        settings={"CONNECTOR_RUN_AND_TERMINATE": "maybe"},
    ),
    Scenario(
        "config_invalid_duration",
        Kind.CONFIG,
        'CONNECTOR_DURATION_PERIOD is "soon"',
        "Stops at start-up with one line naming the setting.",
        setting_refused(
            "CONNECTOR_DURATION_PERIOD",
            "connector.duration_period",
            "Input should be a valid timedelta, invalid digit in duration",
        ),
        settings={"CONNECTOR_DURATION_PERIOD": "soon"},
    ),
    Scenario(
        "config_duration_too_short",
        Kind.CONFIG,
        "CONNECTOR_DURATION_PERIOD is PT0S",
        "Stops at start-up: pycti would run once and exit instead of scheduling.",
        setting_refused(
            "CONNECTOR_DURATION_PERIOD",
            "connector.duration_period",
            "Input should be greater than or equal to 1 second",
        ),
        settings={"CONNECTOR_DURATION_PERIOD": "PT0S"},
    ),
    Scenario(
        "config_unknown_log_level",
        Kind.CONFIG,
        'CONNECTOR_LOG_LEVEL is "verbose"',
        "Stops at start-up with one line listing the valid levels.",
        setting_refused(
            "CONNECTOR_LOG_LEVEL",
            "connector.log_level",
            "Input should be 'debug', 'info', 'warning' or 'error'",
        ),
        settings={"CONNECTOR_LOG_LEVEL": "verbose"},
    ),
    Scenario(
        "config_file_not_yaml",
        Kind.CONFIG,
        "config.yml with a syntax error on the line that holds the token",
        "Stops at start-up with the line number, and not the parser's message, which quotes"
        " the file.",
        config_refused("config.yml is not valid YAML at line 2; fix its syntax"),
        config_file=f"opencti:\n  token: {TOKEN_PLACEHOLDER}: pasted twice\n",
    ),
)
