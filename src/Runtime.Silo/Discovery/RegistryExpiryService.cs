using Microsoft.Extensions.Options;

namespace Runtime.Silo.Discovery;

/// <summary>Drops registrations whose TTL ran out, on a timer of the shared <see cref="TimeProvider"/>.</summary>
internal sealed partial class RegistryExpiryService(ProxyRegistry registry, IOptions<DiscoveryOptions> options, TimeProvider time, ILogger<RegistryExpiryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpiryScanInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    registry.ExpireStale();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScanFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "Registration expiry scan failed; it runs again on the next tick")]
    private partial void LogScanFailed(Exception exception);
}
