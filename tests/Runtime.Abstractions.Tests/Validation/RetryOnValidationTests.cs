using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Validation;

public sealed class RetryOnValidationTests
{
    [Fact]
    public void Read_UnknownRetryOnWordAndBadStatus_AreErrorsNamingTheWord()
    {
        const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
                - route:
                    - destination: {host: reviews}
                  retries: {attempts: 2, retryOn: "5xx,connect-failur,700"}
            """;

        var result = ManifestReader.Read(Yaml, "retry.yaml");

        var errors = result.Issues.Where(i => i.Severity == IssueSeverity.Error && i.Path == "spec.http[0].retries.retryOn").Select(i => i.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, m => m.Contains("'connect-failur'", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("'700'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EveryEnvoyWordAndStatusCode_IsAccepted()
    {
        const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
                - route:
                    - destination: {host: reviews}
                  retries:
                    attempts: 2
                    retryOn: 5xx,gateway-error,reset,reset-before-request,connect-failure,envoy-ratelimited,retriable-4xx,refused-stream,retriable-status-codes,retriable-headers,http3-post-connect-failure,cancelled,deadline-exceeded,internal,resource-exhausted,unavailable,503,429
            """;

        var result = ManifestReader.Read(Yaml, "retry.yaml");

        Assert.DoesNotContain(result.Issues, i => i.Severity == IssueSeverity.Error);
    }
}
