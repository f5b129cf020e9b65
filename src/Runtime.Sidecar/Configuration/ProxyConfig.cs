using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Configuration;

/// <summary>
/// The sidecar's current configuration: one immutable <see cref="ProxyState"/> behind a single reference, read
/// lock-free on every request and swapped atomically. A request that already read the old state finishes on it,
/// so a swap never drops in-flight requests.
/// </summary>
internal sealed partial class ProxyConfig(SidecarIdentity identity, TimeProvider time, ILogger<ProxyConfig> logger, ClusterResilienceRegistry? resilience = null)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _applyLock = new();
    private ProxyState? _current;

    /// <summary>The current state, or null before the first config arrived.</summary>
    public ProxyState? Current => Volatile.Read(ref _current);

    /// <summary>Completes when the first configuration is in (from the control plane or the persisted file).</summary>
    public Task Ready => _ready.Task;

    public SidecarIdentity Identity => identity;

    /// <summary>Raised after a new state is swapped in, on the applying thread; handlers must be quick and not throw.</summary>
    public event Action<ProxyState>? Applied;

    /// <summary>
    /// Compiles <paramref name="snapshot"/> and swaps it in. Returns null on success, or the reason the snapshot
    /// was refused (a NACK): the previous configuration then stays in force.
    /// </summary>
    public string? TryApply(ProxySnapshot snapshot, string source)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        RouteTableBuild build;
        try
        {
            build = RouteTable.Build(snapshot, identity, resilience: resilience);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRejected(logger, snapshot.Version, ex.Message);
            return $"compiling version {snapshot.Version} failed: {ex.Message}";
        }

        foreach (var problem in build.Problems)
        {
            LogProblem(logger, snapshot.Version, problem.ToString());
        }

        if (build.IsFatal)
        {
            var reason = build.NackReason ?? "the snapshot has errors";
            LogRejected(logger, snapshot.Version, reason);
            return reason;
        }

        // Authorization (issue 5): compiled next to the route table; its problems never NACK (broken parts fail closed).
        var authorizationProblems = new List<string>();
        var authorization = AuthorizationPolicyCompiler.Compile(snapshot, new AuthorizationWorkload(identity.Namespace, identity.Service, identity.Labels), [], authorizationProblems);
        foreach (var problem in authorizationProblems)
        {
            LogProblem(logger, snapshot.Version, problem);
        }

        lock (_applyLock)
        {
            build.Table.Activate();
            Volatile.Write(ref _current, new ProxyState(snapshot, build.Table, time.GetUtcNow(), source) { Authorization = authorization });
        }

        _ready.TrySetResult();
        LogApplied(logger, snapshot.Version, source, snapshot.Services.Count, snapshot.Resources.Count);
        Applied?.Invoke(Volatile.Read(ref _current)!);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Config {Version} applied from {Source}: {Services} services, {Resources} resources")]
    private static partial void LogApplied(ILogger logger, string version, string source, int services, int resources);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config {Version} rejected, keeping the previous one: {Reason}")]
    private static partial void LogRejected(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config {Version}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string version, string problem);
}
