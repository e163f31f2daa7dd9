using System.Reflection;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace KMeansPS.Loading;

/// <summary>
/// The loading half of Microsoft's "resolving dependency conflicts" bridge pattern: KMeansPS.dll (cmdlets and the
/// types users see) loads in the default context; when a class in Bridge/ first needs one of our own KMeansPS.*
/// assemblies, the default context's Resolving event hands the request to <see cref="DependencyLoadContext"/>.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    internal static readonly DependencyLoadContext LoadContext =
        new(Path.Combine(ModuleDirectory, "Dependencies"));

    /// <inheritdoc/>
    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveOwnAssembly;
        StartWarmup();
    }

    // Apart, so this class does not reference our other assemblies before the resolver above is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartWarmup() => Bridge.ImportWarmup.Start();

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveOwnAssembly;

    // Answer only for our own assemblies; everything they need then resolves inside our context.
    private static Assembly? ResolveOwnAssembly(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("KMeansPS.", StringComparison.Ordinal))
        {
            return null;
        }
        return LoadContext.LoadFromAssemblyName(name);
    }
}
