using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Configuration;

/// <summary>
/// The last good snapshot on disk (<c>&lt;data-dir&gt;/snapshot-&lt;service&gt;.&lt;namespace&gt;.pb</c>), so a sidecar
/// restarted while the control plane is down serves what it served before. The name carries the workload, so
/// sidecars sharing a data directory never load each other's config. Written to a temporary file and renamed, so a crash mid-write
/// leaves the previous file intact.
/// </summary>
internal sealed partial class SnapshotFile(string dataDir, string service, string @namespace, ILogger<SnapshotFile> logger)
{
    public string Path { get; } = System.IO.Path.Combine(dataDir, $"snapshot-{service}.{@namespace}.pb");

    public void Save(ProxySnapshot snapshot)
    {
        try
        {
            Directory.CreateDirectory(dataDir);
            var temporary = Path + "." + Environment.ProcessId + ".tmp";
            using (var stream = File.Create(temporary))
            {
                DiscoveryMessages.ToMessage(snapshot).WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Serving matters more than persisting: the next snapshot tries again.
            LogSaveFailed(logger, Path, ex.Message);
        }
    }

    public ProxySnapshot? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(Path);
            return DiscoveryMessages.FromMessage(V1.ProxySnapshot.Parser.ParseFrom(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            LogLoadFailed(logger, Path, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not persist the config snapshot to {Path}: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring the persisted snapshot {Path}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);
}
