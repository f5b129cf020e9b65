using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Ca;

/// <summary>
/// Checks the store every <see cref="Interval"/> for a root rotation step another replica sharing the database
/// ran, so every replica signs and publishes the same generation within seconds.
/// </summary>
internal sealed partial class CaRefreshService(CaStartup ca, TimeProvider time, ILogger<CaRefreshService> logger) : BackgroundService
{
    /// <summary>How often the stored generation is compared with the one in use.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    ca.Refresh();
                }
                catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or System.Security.Cryptography.CryptographicException)
                {
                    LogRefreshFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "Checking the stored CA state failed: {Problem}; keeping the one in use")]
    private partial void LogRefreshFailed(string problem);
}
