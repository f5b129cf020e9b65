namespace Runtime.Sidecar.Tracing;

/// <summary>The OTLP transport spans are exported with (<c>--tracing-protocol</c>).</summary>
public enum TracingProtocol
{
    /// <summary>OTLP/HTTP with protobuf bodies, POST to <c>/v1/traces</c> (the default).</summary>
    HttpProtobuf,

    /// <summary>OTLP/gRPC.</summary>
    Grpc,
}
