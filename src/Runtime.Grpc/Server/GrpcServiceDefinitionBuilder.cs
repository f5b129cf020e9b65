using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Runtime.Grpc.Server;

/// <summary>
/// Registers handlers for the methods of one service. Each registration is checked against the
/// descriptor (method exists, CLR message types and streaming kind match); <see cref="Build"/>
/// throws one <see cref="InvalidOperationException"/> listing every problem. Methods left
/// unregistered answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceDefinitionBuilder
{
    private readonly ServiceDescriptor _service;
    private readonly List<GrpcMethodHandler> _handlers = [];
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    internal GrpcServiceDefinitionBuilder(ServiceDescriptor service) => _service = service;

    /// <summary>Registers a unary method.</summary>
    /// <typeparam name="TRequest">The request message type; must be the method's input type.</typeparam>
    /// <typeparam name="TResponse">The response message type; must be the method's output type.</typeparam>
    /// <param name="methodName">The method name as in the .proto, e.g. <c>Apply</c>.</param>
    /// <param name="handler">Handles one request; throw <see cref="GrpcException"/> to answer with a status.</param>
    /// <returns>This builder.</returns>
    public GrpcServiceDefinitionBuilder Unary<TRequest, TResponse>(string methodName, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Validate<TRequest, TResponse>(methodName, MethodKind.Unary) is { } path)
        {
            _handlers.Add(new UnaryMethodHandler<TRequest, TResponse>(path, new MessageParser<TRequest>(() => new TRequest()), handler));
        }

        return this;
    }

    /// <summary>Registers a server-streaming method.</summary>
    /// <typeparam name="TRequest">The request message type; must be the method's input type.</typeparam>
    /// <typeparam name="TResponse">The streamed message type; must be the method's output type.</typeparam>
    /// <param name="methodName">The method name as in the .proto, e.g. <c>Watch</c>.</param>
    /// <param name="handler">Writes responses with the writer; the stream ends when the task completes.</param>
    /// <returns>This builder.</returns>
    public GrpcServiceDefinitionBuilder ServerStreaming<TRequest, TResponse>(string methodName, Func<TRequest, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Validate<TRequest, TResponse>(methodName, MethodKind.ServerStreaming) is { } path)
        {
            _handlers.Add(new ServerStreamingMethodHandler<TRequest, TResponse>(path, new MessageParser<TRequest>(() => new TRequest()), handler));
        }

        return this;
    }

    /// <summary>Validates every registration and creates the definition.</summary>
    /// <returns>The service definition to pass to <c>MapGrpcService</c>.</returns>
    /// <exception cref="InvalidOperationException">One or more registrations do not match the descriptor.</exception>
    public GrpcServiceDefinition Build()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"gRPC service {_service.FullName} has {_errors.Count} method registration problem(s):{Environment.NewLine}- "
                + string.Join(Environment.NewLine + "- ", _errors));
        }

        return new GrpcServiceDefinition(_service, [.. _handlers]);
    }

    /// <summary>Registers a bidirectional-streaming method (server reflection); not public yet.</summary>
    internal GrpcServiceDefinitionBuilder DuplexStreaming<TRequest, TResponse>(
        string methodName,
        Func<IAsyncEnumerable<TRequest>, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        if (Validate<TRequest, TResponse>(methodName, MethodKind.DuplexStreaming) is { } path)
        {
            _handlers.Add(new DuplexStreamingMethodHandler<TRequest, TResponse>(path, new MessageParser<TRequest>(() => new TRequest()), handler));
        }

        return this;
    }

    private static MethodKind KindOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodKind.Unary,
        (false, true) => MethodKind.ServerStreaming,
        (true, false) => MethodKind.ClientStreaming,
        (true, true) => MethodKind.DuplexStreaming,
    };

    private static string RegistrationName(MethodKind kind) => kind switch
    {
        MethodKind.Unary => "Unary<,>()",
        MethodKind.ServerStreaming => "ServerStreaming<,>()",
        MethodKind.ClientStreaming => "(client streaming is not supported by this transport)",
        _ => "(bidirectional streaming is not supported by this transport's public API)",
    };

    /// <summary>Returns the method path, or null after recording why the registration is invalid.</summary>
    private string? Validate<TRequest, TResponse>(string methodName, MethodKind kind)
    {
        var method = _service.FindMethodByName(methodName);
        if (method is null)
        {
            var known = string.Join(", ", _service.Methods.Select(m => m.Name));
            _errors.Add($"method '{methodName}' is not declared by the service; declared methods: {known}.");
            return null;
        }

        var errorCount = _errors.Count;
        if (!_registered.Add(method.Name))
        {
            _errors.Add($"method {method.Name} is registered more than once; register each method once.");
        }

        if (KindOf(method) is var declared && declared != kind)
        {
            _errors.Add($"method {method.Name} is declared {declared} but registered as {kind}; register it with {RegistrationName(declared)}.");
        }

        CheckType(method, "request", method.InputType, typeof(TRequest));
        CheckType(method, "response", method.OutputType, typeof(TResponse));
        return _errors.Count == errorCount ? $"/{_service.FullName}/{method.Name}" : null;
    }

    private void CheckType(MethodDescriptor method, string role, MessageDescriptor expected, Type actual)
    {
        if (expected.ClrType != actual)
        {
            _errors.Add(
                $"method {method.Name} takes {role} type {expected.FullName} (CLR {expected.ClrType?.FullName ?? "unknown"}) but the handler uses {actual.FullName}.");
        }
    }

    private enum MethodKind
    {
        Unary,
        ServerStreaming,
        ClientStreaming,
        DuplexStreaming,
    }
}
