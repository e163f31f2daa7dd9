using KMeansPS.Engine;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// A palette chosen for a <see cref="ColorHistogram"/>, with the entry each histogram colour maps to
/// (nearest in <see cref="MetricColor"/> space, the space PSNR is measured in).
/// </summary>
internal sealed class Palette
{
    internal Palette(Rgba32[] entries, int[] colorToEntry, bool lossless, int iterations, bool converged,
        InstructionSet? instructionSet, ulong seed, string? warning)
    {
        Entries = entries;
        ColorToEntry = colorToEntry;
        Lossless = lossless;
        Iterations = iterations;
        Converged = converged;
        InstructionSet = instructionSet;
        Seed = seed;
        Warning = warning;
    }

    /// <summary>Straight-alpha 8-bit entries; may hold entries no colour maps to (see <see cref="PaletteOrdering"/>).</summary>
    public Rgba32[] Entries { get; }
    /// <summary>For each histogram colour, its palette entry.</summary>
    public int[] ColorToEntry { get; }
    public bool Lossless { get; }
    public int Iterations { get; }
    public bool Converged { get; }
    public InstructionSet? InstructionSet { get; }
    public ulong Seed { get; }
    public string? Warning { get; }

    /// <summary>This palette with <paramref name="warning"/> added after any warning it has.</summary>
    internal Palette WithWarning(string warning) =>
        new(Entries, ColorToEntry, Lossless, Iterations, Converged, InstructionSet, Seed, Warning is null ? warning : Warning + " " + warning);
}
