using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Discovery;

namespace Runtime.Sidecar.Tests.Discovery;

/// <summary>An outlier detector whose state the test sets, or makes fail, so what the sidecar reports is known.</summary>
internal sealed class SettableOutlierStatusSource : IOutlierStatusSource
{
    private volatile IReadOnlyList<EndpointOutlierStatus> _current = [];
    private volatile string? _failure;

    public void Set(params EndpointOutlierStatus[] statuses) => _current = statuses;

    public void FailWith(string message) => _failure = message;

    public IReadOnlyList<EndpointOutlierStatus> Current() => _failure is { } failure ? throw new InvalidOperationException(failure) : _current;
}
