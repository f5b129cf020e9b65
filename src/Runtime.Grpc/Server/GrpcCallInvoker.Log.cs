using Microsoft.Extensions.Logging;

namespace Runtime.Grpc.Server;

internal sealed partial class GrpcCallInvoker
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC handler for {Method} failed; answering INTERNAL")]
    private partial void LogHandlerFailed(Exception exception, string method);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "gRPC call {Method} cancelled by the client")]
    private partial void LogCancelledByClient(string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "gRPC call {Method} exceeded its deadline of {Timeout}")]
    private partial void LogDeadlineExceeded(string method, TimeSpan? timeout);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "gRPC call {Method} ended with {Status}: {StatusMessage}")]
    private partial void LogStatus(string method, GrpcStatusCode status, string statusMessage);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "gRPC call {Method} sent an invalid grpc-timeout '{Value}'; ignoring it")]
    private partial void LogInvalidTimeout(string method, string value);
}
