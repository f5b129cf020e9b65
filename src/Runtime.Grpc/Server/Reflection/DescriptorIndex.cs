using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Runtime.Grpc.Server.Reflection;

/// <summary>
/// Files, symbols and extensions of a set of services and everything their files import:
/// an immutable snapshot answering server reflection lookups.
/// </summary>
internal sealed class DescriptorIndex
{
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messageTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Extendee, int Number), FileDescriptor> _filesByExtension = [];
    private readonly Dictionary<string, List<int>> _extensionNumbersByType = new(StringComparer.Ordinal);

    public DescriptorIndex(IReadOnlyList<ServiceDescriptor> services)
    {
        ServiceNames = [.. services.Select(s => s.FullName)];
        foreach (var service in services)
        {
            AddFile(service.File);
        }
    }

    /// <summary>Full names of the services, in mapping order.</summary>
    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FindFileByName(string name) => _filesByName.GetValueOrDefault(name);

    /// <summary>The file defining a service, method, message or enum (nested ones included).</summary>
    public FileDescriptor? FindFileBySymbol(string symbol) => _filesBySymbol.GetValueOrDefault(symbol.TrimStart('.'));

    public FileDescriptor? FindFileByExtension(string extendee, int number) =>
        _filesByExtension.GetValueOrDefault((extendee.TrimStart('.'), number));

    /// <summary>Extension numbers of a known message type (often none); null for an unknown type.</summary>
    public IReadOnlyList<int>? FindExtensionNumbers(string messageType)
    {
        var name = messageType.TrimStart('.');
        return _messageTypes.Contains(name)
            ? _extensionNumbersByType.TryGetValue(name, out var numbers) ? numbers : []
            : null;
    }

    /// <summary>The serialized FileDescriptorProto of a file followed by those of all its transitive imports.</summary>
    public static IReadOnlyList<ByteString> WithDependencies(FileDescriptor file)
    {
        var ordered = new List<ByteString>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Name))
            {
                continue;
            }

            ordered.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies.Reverse())
            {
                pending.Push(dependency);
            }
        }

        return ordered;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            _filesBySymbol[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _filesBySymbol[method.FullName] = file;
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }

        AddExtensions(file, file.Extensions.UnorderedExtensions);
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _filesBySymbol[message.FullName] = file;
        _messageTypes.Add(message.FullName);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var enumType in message.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }

        AddExtensions(file, message.Extensions.UnorderedExtensions);
    }

    private void AddExtensions(FileDescriptor file, IEnumerable<FieldDescriptor> extensions)
    {
        foreach (var extension in extensions)
        {
            var extendee = extension.ExtendeeType.FullName;
            _filesBySymbol[extension.FullName] = file;
            _filesByExtension[(extendee, extension.FieldNumber)] = file;
            if (!_extensionNumbersByType.TryGetValue(extendee, out var numbers))
            {
                _extensionNumbersByType[extendee] = numbers = [];
            }

            numbers.Add(extension.FieldNumber);
        }
    }
}
