using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KMeansPS.Loading;

/// <summary>
/// Loads our engine, imaging and plotting assemblies and their third-party dependencies (ImageSharp,
/// ScottPlot, SkiaSharp) from the module's Dependencies folder into a context of their own, so another
/// module in the same session with a different version of those libraries cannot break us, nor we it.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyDirectory;

    internal DependencyLoadContext(string dependencyDirectory)
        : base("KMeansPS", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        // Anything we do not ship (the framework, System.Management.Automation) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (string candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }
        return IntPtr.Zero;
    }

    // Native libraries (libSkiaSharp) are published under runtimes/<rid>/native/ by NuGet convention.
    private IEnumerable<string> NativeCandidates(string name)
    {
        string[] fileNames = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? [name, name + ".dll"]
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? [name, "lib" + name + ".dylib", name + ".dylib"]
                : [name, "lib" + name + ".so", name + ".so"];
        foreach (string rid in RuntimeIdentifiers())
        {
            foreach (string file in fileNames)
            {
                yield return Path.Combine(_dependencyDirectory, "runtimes", rid, "native", file);
            }
        }
        foreach (string file in fileNames)
        {
            yield return Path.Combine(_dependencyDirectory, file);
        }
    }

    private static IEnumerable<string> RuntimeIdentifiers()
    {
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        };
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            yield return "win-" + arch;
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            yield return "osx-" + arch;
            yield return "osx";
        }
        else
        {
            if (IsMusl()) yield return "linux-musl-" + arch;
            yield return "linux-" + arch;
        }
    }

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase);
}
