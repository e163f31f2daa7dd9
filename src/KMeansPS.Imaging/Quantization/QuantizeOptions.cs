using KMeansPS.Engine;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>Options of <see cref="ImageQuantizer"/>.</summary>
internal sealed class QuantizeOptions
{
    /// <summary>Palette size, 2..256.</summary>
    public int K { get; init; } = 16;
    public QuantizeColorSpace ColorSpace { get; init; } = QuantizeColorSpace.Rgb;
    public DitherMode Dither { get; init; } = DitherMode.None;
    public KMeansAlgorithm Algorithm { get; init; } = KMeansAlgorithm.Auto;
    public int MaxIterations { get; init; } = 300;
    public double Tolerance { get; init; } = 1e-4;
    /// <summary>Seed of the k-means initialisation; null draws one (reported in the result).</summary>
    public ulong? Seed { get; init; }
    /// <summary>Images with more pixels are refused before decoding (<see cref="ImageLimitExceededException"/>).</summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;
    public ImageOutputFormat OutputFormat { get; init; } = ImageOutputFormat.Png;
    /// <summary>Worker threads; null means the processor count.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
    /// <summary>When set, a side-by-side PNG (original | compressed | amplified difference) is written there.</summary>
    public string? ComparisonPath { get; init; }
    /// <summary>Draws the comparison figure's captions (see <see cref="Metrics.ComparisonFigure"/>); null: a figure without captions.</summary>
    public Metrics.CaptionRasterizer? Captions { get; init; }
    /// <summary>Replace existing output files (never the source); otherwise an existing file is never replaced.</summary>
    public bool Overwrite { get; init; }

    /// <summary>As <see cref="Overwrite"/>, for the comparison figure (null: the same as <see cref="Overwrite"/>).</summary>
    public bool? OverwriteComparison { get; init; }
    /// <summary>Runs the final move of each output (see <see cref="IO.AtomicWriteOptions.Publish"/>); null moves directly.</summary>
    public Action<string, Action>? Publish { get; init; }
    /// <summary>Publish the output only when it is smaller than the source file (pngquant's --skip-if-larger); the comparison figure follows it.</summary>
    public bool SkipIfLarger { get; init; }
    /// <summary>The outputs' folders are made by the caller, which may remove them again (see <see cref="IO.AtomicWriteOptions.CreateFolder"/>).</summary>
    public bool CreateFolders { get; init; }
    /// <summary>
    /// A PSNR floor in dB (pngquant's --quality min): the palette has the fewest colours, at most <see cref="K"/>, that
    /// reach it (<see cref="QualityFloorSearch"/>); <see cref="QualityFloorException"/> when even K miss it. Null: K colours.
    /// </summary>
    public double? MinPsnr { get; init; }
    /// <summary>Written into the output (and the comparison figure) so a later run knows the file as its own, with its <see cref="Provenance.OutputMarker.SourceHash"/> replaced by the hash of the bytes decoded; null writes none.</summary>
    public Provenance.OutputMarker? Marker { get; init; }
    /// <summary>
    /// Carry only the source's colour management (ICC profile or sRGB, gAMA, cHRM, cICP) into a PNG output, not its
    /// density, text or EXIF (pngquant's --strip); see <see cref="Metadata.CarriedMetadata"/>.
    /// </summary>
    public bool Strip { get; init; }
    /// <summary>
    /// How hard a PNG output is deflated (<see cref="Png.PalettePngEncoder"/>): Optimal (zlib's parse with redrawn blocks,
    /// the default), SmallestSize (a near-optimal parse as well, 2-10 % smaller, several times the encoding time), Fastest
    /// or NoCompression. The pixels are the same at every level; a GIF output has one.
    /// </summary>
    public System.IO.Compression.CompressionLevel Compression { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
    /// <summary>Compute MSE, PSNR and SSIM (on by default; off saves time and memory).</summary>
    public bool ComputeMetrics { get; init; } = true;
    /// <summary>Most colour-histogram entries; null: <see cref="Histograms.ColorHistogram.MaxEntriesFor"/> of the image (tests set fewer).</summary>
    internal int? MaxHistogramEntries { get; init; }
    /// <summary>The share of squared error undithered mapping may add for longer index runs (<see cref="Palettes.RunExtension"/>); 0: every pixel its nearest entry (tests).</summary>
    internal double RunErrorShare { get; init; } = Palettes.RunExtension.DefaultErrorShare;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value outside its range.</summary>
    public void Validate()
    {
        if (K is < PaletteBuilder.MinColors or > PaletteBuilder.MaxColors)
            throw new ArgumentOutOfRangeException(nameof(K), K, $"K must be between {PaletteBuilder.MinColors} and {PaletteBuilder.MaxColors}.");
        if (MinPsnr is double floor && !(floor > 0 && floor < double.PositiveInfinity))
            throw new ArgumentOutOfRangeException(nameof(MinPsnr), MinPsnr, "MinPsnr must be a positive, finite number of dB.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1.");
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance must be finite and non-negative.");
        if (MaxPixels < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "MaxPixels must be positive.");
        if (MaxHistogramEntries is < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxHistogramEntries), MaxHistogramEntries, "MaxHistogramEntries must be at least 2.");
        if (MaxDegreeOfParallelism is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        if (!Enum.IsDefined(ColorSpace)) throw new ArgumentOutOfRangeException(nameof(ColorSpace));
        if (!Enum.IsDefined(Dither)) throw new ArgumentOutOfRangeException(nameof(Dither));
        if (!Enum.IsDefined(OutputFormat)) throw new ArgumentOutOfRangeException(nameof(OutputFormat));
        if (!Enum.IsDefined(Algorithm)) throw new ArgumentOutOfRangeException(nameof(Algorithm));
        if (!Enum.IsDefined(Compression)) throw new ArgumentOutOfRangeException(nameof(Compression));
    }
}
