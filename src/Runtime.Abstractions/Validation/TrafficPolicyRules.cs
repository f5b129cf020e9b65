using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Load balancer, connection pool, outlier detection and client TLS of a traffic policy.</summary>
internal static class TrafficPolicyRules
{
    public static void Validate(string path, TrafficPolicy? policy, IssueSink issues)
    {
        if (policy is null)
        {
            return;
        }

        ValidatePolicies(path, policy.LoadBalancer, policy.ConnectionPool, policy.OutlierDetection, policy.Tls, issues);
        for (var i = 0; i < (policy.PortLevelSettings?.Count ?? 0); i++)
        {
            var port = policy.PortLevelSettings![i];
            var portPath = $"{path}.portLevelSettings[{i}]";
            NetworkRules.ValidatePort($"{portPath}.port.number", port.Port?.Number, issues, required: true);
            ValidatePolicies(portPath, port.LoadBalancer, port.ConnectionPool, port.OutlierDetection, port.Tls, issues);
        }
    }

    private static void ValidatePolicies(string path, LoadBalancerSettings? lb, ConnectionPoolSettings? pool, OutlierDetection? outlier, ClientTlsSettings? tls, IssueSink issues)
    {
        if (lb?.ConsistentHash is ConsistentHashSettings hash)
        {
            // A one-of in Istio's API: several keys are rejected, but none is allowed (Istio does not require a key).
            var keys = new object?[] { hash.HttpHeaderName, hash.HttpCookie, hash.UseSourceIp, hash.HttpQueryParameterName }.Count(k => k is not null);
            if (keys > 1)
            {
                issues.Error($"{path}.loadBalancer.consistentHash", "consistent hash sets more than one key", "set only one of httpHeaderName, httpCookie, useSourceIp and httpQueryParameterName");
            }

            if (hash.HttpCookie is { Name: null or "" })
            {
                issues.Error($"{path}.loadBalancer.consistentHash.httpCookie.name", "the hash cookie needs a name", "add name: session");
            }
        }

        if (lb is { Simple: not null, ConsistentHash: not null })
        {
            issues.Error($"{path}.loadBalancer", "load balancer sets both simple and consistentHash", "keep only one of them");
        }

        // httpCookie.ttl is not checked: Istio accepts any value, and 0s asks for a session cookie.
        DurationRules.Validate($"{path}.loadBalancer.warmupDurationSecs", lb?.WarmupDurationSecs, issues);
        DurationRules.Validate($"{path}.loadBalancer.warmup.duration", lb?.Warmup?.Duration, issues);

        DurationRules.Validate($"{path}.connectionPool.tcp.connectTimeout", pool?.Tcp?.ConnectTimeout, issues);
        DurationRules.ValidateZeroDisables($"{path}.connectionPool.tcp.idleTimeout", pool?.Tcp?.IdleTimeout, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.maxConnectionDuration", pool?.Tcp?.MaxConnectionDuration, issues);
        DurationRules.ValidateZeroDisables($"{path}.connectionPool.http.idleTimeout", pool?.Http?.IdleTimeout, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.tcpKeepalive.time", pool?.Tcp?.TcpKeepalive?.Time, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.tcpKeepalive.interval", pool?.Tcp?.TcpKeepalive?.Interval, issues);
        NonNegative($"{path}.connectionPool.tcp.maxConnections", pool?.Tcp?.MaxConnections, issues);
        NonNegative($"{path}.connectionPool.http.http1MaxPendingRequests", pool?.Http?.Http1MaxPendingRequests, issues);
        NonNegative($"{path}.connectionPool.http.http2MaxRequests", pool?.Http?.Http2MaxRequests, issues);
        NonNegative($"{path}.connectionPool.http.maxRequestsPerConnection", pool?.Http?.MaxRequestsPerConnection, issues);
        NonNegative($"{path}.connectionPool.http.maxRetries", pool?.Http?.MaxRetries, issues);
        if (outlier is not null)
        {
            var outlierPath = $"{path}.outlierDetection";
            DurationRules.Validate($"{outlierPath}.interval", outlier.Interval, issues);
            DurationRules.Validate($"{outlierPath}.baseEjectionTime", outlier.BaseEjectionTime, issues);
            PercentRules.ValidateRange($"{outlierPath}.maxEjectionPercent", outlier.MaxEjectionPercent, issues);
            PercentRules.ValidateRange($"{outlierPath}.minHealthPercent", outlier.MinHealthPercent, issues);
            NonNegative($"{outlierPath}.consecutive5xxErrors", outlier.Consecutive5xxErrors, issues);
            NonNegative($"{outlierPath}.consecutiveErrors", outlier.ConsecutiveErrors, issues);
            NonNegative($"{outlierPath}.consecutiveGatewayErrors", outlier.ConsecutiveGatewayErrors, issues);
            NonNegative($"{outlierPath}.minRequestVolume", outlier.MinRequestVolume, issues);
        }

        if (tls is { Mode: ClientTlsMode.Mutual, CredentialName: null } && (tls.ClientCertificate is null || tls.PrivateKey is null))
        {
            issues.Error($"{path}.tls", "MUTUAL TLS needs clientCertificate and privateKey, or credentialName", "add credentialName: my-client-cert, or use mode: ISTIO_MUTUAL");
        }
    }

    private static void NonNegative(string path, int? value, IssueSink issues)
    {
        if (value is < 0)
        {
            issues.Error(path, $"value {value} is negative", "use 0 or a positive number");
        }
    }
}
