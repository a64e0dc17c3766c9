"""Do: one small hierarchy for the errors a connector raises on purpose."""


# --8<-- [start:classes]
class ConnectorError(Exception):
    """Base class: a failure the connector detected and explained. Never raised as is."""


class ConfigError(ConnectorError):
    """A setting is missing or invalid: an operator must fix it. Raised at start-up."""


class DataRetrievalError(ConnectorError):
    """The data source failed (HTTP status, timeout, bad payload): not our fault."""


class UseCaseError(ConnectorError):
    """The connector's own processing of one entity failed: skip it, go on."""


class UnsupportedTypeError(UseCaseError):
    """The source sent an entity type that this connector has no conversion for."""


class ConversionError(UseCaseError):
    """The entity has a supported type, but a value that can't be turned into STIX."""


# --8<-- [end:classes]
# --8<-- [start:handling]
HANDLING: dict[type[BaseException], str] = {
    ConfigError: "main(): message, exit 1; the connector doesn't start",
    DataRetrievalError: "WARNING; skip the entity, or end the run in error",
    UseCaseError: "WARNING; skip the entity, the run goes on",
    Exception: "ERROR + traceback; alert OpenCTI; work closed in error",
}


def handling(error_type: type[BaseException]) -> str:
    """What the connector does with an error: the entry of its nearest ancestor."""
    for ancestor in error_type.__mro__:
        if ancestor in HANDLING:
            return HANDLING[ancestor]
    return "not caught: finally closes the work, the process stops"


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
        #> ConfigError          main(): message, exit 1; the connector doesn't start
        #> DataRetrievalError   WARNING; skip the entity, or end the run in error
        #> UseCaseError         WARNING; skip the entity, the run goes on
        #> UnsupportedTypeError WARNING; skip the entity, the run goes on
        #> ConversionError      WARNING; skip the entity, the run goes on
        #> KeyError             ERROR + traceback; alert OpenCTI; work closed in error
        #> KeyboardInterrupt    not caught: finally closes the work, the process stops
