using Microsoft.Extensions.Options;

namespace Runtime.Silo.Discovery;

/// <summary>Checks <see cref="DiscoveryOptions"/> at start-up and reports every problem at once.</summary>
internal sealed class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        RequirePositive(failures, nameof(options.HeartbeatInterval), options.HeartbeatInterval);
        RequirePositive(failures, nameof(options.Ttl), options.Ttl);
        RequirePositive(failures, nameof(options.ExpiryScanInterval), options.ExpiryScanInterval);
        RequirePositive(failures, nameof(options.PushDebounce), options.PushDebounce);
        RequirePositive(failures, nameof(options.PushMaxDelay), options.PushMaxDelay);
        if (options.Ttl <= options.HeartbeatInterval)
        {
            failures.Add($"Discovery Ttl ({options.Ttl}) must be longer than HeartbeatInterval ({options.HeartbeatInterval}), or every sidecar expires between heartbeats; use about three intervals.");
        }

        if (options.PushDebounce > options.PushMaxDelay)
        {
            failures.Add($"Discovery PushDebounce ({options.PushDebounce}) must not exceed PushMaxDelay ({options.PushMaxDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Discovery {setting} is {value}; it must be positive.");
        }
    }
}
