using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Source-generated log messages. Nothing here logs at Error: failures are reported to the caller.</summary>
internal sealed partial class HttpForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "UpstreamFailure", Level = LogLevel.Information,
            Message = "Forwarding to {Destination} failed: {Outcome} ({Detail}); response started: {ResponseStarted}")]
        public static partial void UpstreamFailure(ILogger logger, Uri destination, ForwardOutcome outcome, string detail, bool responseStarted, Exception? error);

        [LoggerMessage(EventId = 2, EventName = "ClientSideFailure", Level = LogLevel.Debug,
            Message = "Forwarding to {Destination} stopped on the client side: {Outcome} ({Detail}); response started: {ResponseStarted}")]
        public static partial void ClientSideFailure(ILogger logger, Uri destination, ForwardOutcome outcome, string detail, bool responseStarted, Exception? error);
    }
}
