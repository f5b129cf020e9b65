using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Hosting;

/// <summary>
/// Start-up settings of the control plane. Each has a command-line flag and an environment variable;
/// the flag wins when both are given.
/// </summary>
public sealed class SiloOptions
{
    /// <summary>gRPC (h2c) port; <c>--grpc-port</c> / <c>MESH_GRPC_PORT</c>. Default 15010; 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 15010;

    /// <summary>HTTP port for health and metrics; <c>--http-port</c> / <c>MESH_HTTP_PORT</c>. Default 15014; 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 15014;

    /// <summary>IP address both ports listen on; <c>--listen-address</c> / <c>MESH_LISTEN_ADDRESS</c>. Default 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Directory for the database and the ports file; <c>--data-dir</c> / <c>MESH_DATA_DIR</c>. Default <c>./.mesh</c>.</summary>
    public string DataDir { get; set; } = "./.mesh";

    /// <summary>Config store backend; <c>--store</c> / <c>MESH_STORE</c>. Default <see cref="StoreKind.Sqlite"/>.</summary>
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>Minimum log level; <c>--log-level</c> / <c>MESH_LOG_LEVEL</c>. Default <see cref="LogLevel.Information"/>.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>How often sidecars heartbeat (told to them at registration). Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an endpoint stays registered without a heartbeat or open stream. Default 15 s.</summary>
    public TimeSpan EndpointTtl { get; set; } = TimeSpan.FromSeconds(15);
}
