"""Do: one small hierarchy for the errors a connector raises on purpose."""


# --8<-- [start:classes]
class ConnectorError(Exception):
    """Base: a failure the connector found and explained. Not raised as is."""


class ConfigError(ConnectorError):
    """A bad or missing setting, found at start-up: an operator must fix it."""


class DataRetrievalError(ConnectorError):
    """The source failed (HTTP error, timeout, bad payload): not our fault."""


class UseCaseError(ConnectorError):
    """The connector's own processing of one entity failed: skip it, go on."""


class UnsupportedTypeError(UseCaseError):
    """The source sent an entity type this connector has no conversion for."""


class ConversionError(UseCaseError):
    """The entity's type is supported, but a value can't be made into STIX."""


# --8<-- [end:classes]
# --8<-- [start:handling]
HANDLING: dict[type[BaseException], str] = {
    ConfigError: "main(): message, exit 1; nothing runs",
    DataRetrievalError: "WARNING; skip the entity, or fail the run",
    UseCaseError: "WARNING; skip the entity, the run goes on",
    Exception: "ERROR + traceback; alert; work closed in error",
}


def handling(error_type: type[BaseException]) -> str:
    """What the connector does with an error: its nearest ancestor's entry."""
    for ancestor in error_type.__mro__:
        if ancestor in HANDLING:
            return HANDLING[ancestor]
    return "not caught: finally closes the work, then exit"


# --8<-- [end:handling]
if __name__ == "__main__":
    print(", ".join(cls.__name__ for cls in UnsupportedTypeError.__mro__[:-2]))
    #> UnsupportedTypeError, UseCaseError, ConnectorError, Exception
    for error_type in (
        ConfigError,
        DataRetrievalError,
        UseCaseError,
        UnsupportedTypeError,
        ConversionError,
        KeyError,
        KeyboardInterrupt,
    ):
        print(f"{error_type.__name__:<21}{handling(error_type)}")
        #> ConfigError          main(): message, exit 1; nothing runs
        #> DataRetrievalError   WARNING; skip the entity, or fail the run
        #> UseCaseError         WARNING; skip the entity, the run goes on
        #> UnsupportedTypeError WARNING; skip the entity, the run goes on
        #> ConversionError      WARNING; skip the entity, the run goes on
        #> KeyError             ERROR + traceback; alert; work closed in error
        #> KeyboardInterrupt    not caught: finally closes the work, then exit
