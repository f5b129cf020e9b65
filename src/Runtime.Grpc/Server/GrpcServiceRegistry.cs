using System.Collections.Immutable;
using Google.Protobuf.Reflection;

namespace Runtime.Grpc.Server;

/// <summary>The services mapped on this host, for server reflection. Registered as a singleton.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly Lock _lock = new();
    private ImmutableArray<ServiceDescriptor> _services = [];

    /// <summary>The mapped services, in mapping order; an immutable snapshot.</summary>
    public ImmutableArray<ServiceDescriptor> Services => _services;

    public void Add(ServiceDescriptor service)
    {
        lock (_lock)
        {
            if (_services.Any(s => s.FullName == service.FullName))
            {
                throw new InvalidOperationException($"gRPC service {service.FullName} is mapped twice; map each service once.");
            }

            _services = _services.Add(service);
        }
    }
}
