using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// Reads a compiled assembly's metadata (without loading it) and lists, for each top-level type, the types of the
/// given libraries it uses: in base types, interfaces, field and method signatures, locals, attribute constructors,
/// and every type, method or field token in its method bodies' IL. Nested types (closures, iterators, lambdas)
/// count as their outermost type.
/// </summary>
internal sealed class LibraryTypeUses
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value, op => op.OperandType);

    private readonly MetadataReader _reader;
    private readonly PEReader _pe;
    private readonly HashSet<string> _libraries;
    private readonly SignatureProvider _signatures;

    private LibraryTypeUses(PEReader pe, IEnumerable<string> libraries)
    {
        _pe = pe;
        _reader = pe.GetMetadataReader();
        _libraries = new HashSet<string>(libraries, StringComparer.Ordinal);
        _signatures = new SignatureProvider(this);
    }

    /// <summary>Top-level type full name -> full names of the library types it uses (types using none are absent).</summary>
    public static Dictionary<string, SortedSet<string>> Find(string assemblyPath, params string[] libraries)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        return new LibraryTypeUses(pe, libraries).Scan();
    }

    private Dictionary<string, SortedSet<string>> Scan()
    {
        var result = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
        {
            var found = new SortedSet<string>(StringComparer.Ordinal);
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            found.UnionWith(Uses(type.BaseType));
            foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
            {
                found.UnionWith(Uses(_reader.GetInterfaceImplementation(i).Interface));
            }
            foreach (FieldDefinitionHandle f in type.GetFields())
            {
                found.UnionWith(_reader.GetFieldDefinition(f).DecodeSignature(_signatures, null));
            }
            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                found.UnionWith(MethodUses(m));
            }
            found.UnionWith(AttributeUses(type.GetCustomAttributes()));
            if (found.Count == 0) continue;
            string owner = TopLevelName(handle);
            if (!result.TryGetValue(owner, out SortedSet<string>? all)) result[owner] = all = new SortedSet<string>(StringComparer.Ordinal);
            all.UnionWith(found);
        }
        return result;
    }

    private List<string> MethodUses(MethodDefinitionHandle handle)
    {
        MethodDefinition method = _reader.GetMethodDefinition(handle);
        MethodSignature<ImmutableArray<string>> signature = method.DecodeSignature(_signatures, null);
        var found = new List<string>(signature.ReturnType);
        foreach (ImmutableArray<string> parameter in signature.ParameterTypes) found.AddRange(parameter);
        found.AddRange(AttributeUses(method.GetCustomAttributes()));
        if (method.RelativeVirtualAddress == 0) return found;

        MethodBodyBlock body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            foreach (ImmutableArray<string> local in _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_signatures, null))
            {
                found.AddRange(local);
            }
        }
        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            byte first = il.ReadByte();
            short value = first == 0xFE ? (short)(0xFE00 | il.ReadByte()) : first;
            switch (OperandTypes[value])
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32(); // read first: "Offset += ReadInt32()" would add to the offset before the read
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    found.AddRange(Uses(MetadataTokens.EntityHandle(il.ReadInt32())));
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    il.Offset += 4;
                    break;
            }
        }
        return found;
    }

    private IEnumerable<string> AttributeUses(CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(a => Uses(_reader.GetCustomAttribute(a).Constructor));

    /// <summary>The library types a metadata handle names, itself or through its signature.</summary>
    private IEnumerable<string> Uses(EntityHandle handle)
    {
        if (handle.IsNil) return [];
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var reference = (TypeReferenceHandle)handle;
                return _libraries.Contains(AssemblyOf(reference)) ? [FullName(reference)] : [];
            case HandleKind.TypeSpecification:
                return _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_signatures, null);
            case HandleKind.MemberReference:
                MemberReference member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                IEnumerable<string> parent = Uses(member.Parent);
                return member.GetKind() == MemberReferenceKind.Method
                    ? parent.Concat(Flatten(member.DecodeMethodSignature(_signatures, null)))
                    : parent.Concat(member.DecodeFieldSignature(_signatures, null));
            case HandleKind.MethodDefinition:
                // A call into our own code whose signature carries a library type touches that type too.
                return Flatten(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).DecodeSignature(_signatures, null));
            case HandleKind.FieldDefinition:
                return _reader.GetFieldDefinition((FieldDefinitionHandle)handle).DecodeSignature(_signatures, null);
            case HandleKind.MethodSpecification:
                MethodSpecification generic = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Uses(generic.Method).Concat(generic.DecodeSignature(_signatures, null).SelectMany(t => t));
            default: // TypeDefinition: our own
                return [];
        }
    }

    private static IEnumerable<string> Flatten(MethodSignature<ImmutableArray<string>> signature) =>
        signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));

    private string AssemblyOf(TypeReferenceHandle handle)
    {
        EntityHandle scope = _reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
            HandleKind.TypeReference => AssemblyOf((TypeReferenceHandle)scope),
            _ => "",
        };
    }

    private string FullName(TypeReferenceHandle handle)
    {
        TypeReference type = _reader.GetTypeReference(handle);
        string name = _reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference) return FullName((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        string ns = _reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private string TopLevelName(TypeDefinitionHandle handle)
    {
        TypeDefinition type = _reader.GetTypeDefinition(handle);
        while (type.IsNested) type = _reader.GetTypeDefinition(type.GetDeclaringType());
        string ns = _reader.GetString(type.Namespace);
        string name = _reader.GetString(type.Name);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    // Decodes a signature to the library types named anywhere in it (generic arguments, arrays, pointers included).
    private sealed class SignatureProvider(LibraryTypeUses owner) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [];
        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            [.. owner.Uses(handle)];
        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            [.. owner.Uses(handle)];
        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(t => t));
        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) => [.. Flatten(signature)];
        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) =>
            unmodifiedType.AddRange(modifier);
    }
}
