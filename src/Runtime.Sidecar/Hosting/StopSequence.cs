using Microsoft.Extensions.Hosting;

namespace Runtime.Sidecar.Hosting;

/// <summary>
/// Runs the sidecar's first shutdown step — leaving the control plane — before the host closes listeners and
/// drains requests, so callers stop picking this endpoint while it still answers. Whatever stops the host
/// (SIGTERM, <c>/quitquitquit</c>, disposal) goes through here.
/// </summary>
internal sealed class StopSequence : IHostedLifecycleService
{
    private Func<Task>? _beforeDrain;

    /// <summary>Set once the control-plane link exists.</summary>
    public void OnStopping(Func<Task> beforeDrain) => _beforeDrain = beforeDrain;

    public Task StoppingAsync(CancellationToken cancellationToken) => _beforeDrain?.Invoke() ?? Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
