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
            var keys = new object?[] { hash.HttpHeaderName, hash.HttpCookie, hash.UseSourceIp == true ? true : null, hash.HttpQueryParameterName }.Count(k => k is not null);
            if (keys != 1)
            {
                issues.Error($"{path}.loadBalancer.consistentHash", keys == 0 ? "consistent hash needs a key" : "consistent hash sets more than one key", "set exactly one of httpHeaderName, httpCookie, useSourceIp and httpQueryParameterName");
            }
        }

        if (lb is { Simple: not null, ConsistentHash: not null })
        {
            issues.Error($"{path}.loadBalancer", "load balancer sets both simple and consistentHash", "keep only one of them");
        }

        DurationRules.Validate($"{path}.loadBalancer.warmupDurationSecs", lb?.WarmupDurationSecs, issues);
        DurationRules.Validate($"{path}.loadBalancer.consistentHash.httpCookie.ttl", lb?.ConsistentHash?.HttpCookie?.Ttl, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.connectTimeout", pool?.Tcp?.ConnectTimeout, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.idleTimeout", pool?.Tcp?.IdleTimeout, issues);
        DurationRules.Validate($"{path}.connectionPool.tcp.maxConnectionDuration", pool?.Tcp?.MaxConnectionDuration, issues);
        DurationRules.Validate($"{path}.connectionPool.http.idleTimeout", pool?.Http?.IdleTimeout, issues);
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
