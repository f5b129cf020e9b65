using System.Globalization;
using System.Text;

namespace Runtime.Benchmarks;

/// <summary>Generates realistic VirtualService manifests: a header match and a weighted canary split each.</summary>
internal static class Manifests
{
    public static string VirtualServices(int count, string prefix)
    {
        var text = new StringBuilder(count * 420);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}");
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: networking.istio.io/v1beta1
                kind: VirtualService
                metadata:
                  name: {name}
                  namespace: bench
                  labels:
                    app: {name}
                spec:
                  hosts:
                  - {name}
                  http:
                  - match:
                    - headers:
                        end-user:
                          exact: jason
                    route:
                    - destination:
                        host: {name}
                        subset: v2
                  - route:
                    - destination:
                        host: {name}
                        subset: v1
                      weight: 90
                    - destination:
                        host: {name}
                        subset: v3
                      weight: 10
                    timeout: 10s
                ---

                """);
        }

        return text.ToString();
    }
}
