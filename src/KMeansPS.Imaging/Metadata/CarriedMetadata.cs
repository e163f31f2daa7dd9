namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The metadata of a source image that its output carries (see <see cref="PngMetadataChunks"/> for where each goes).
/// Colour management says what the pixel values mean and is always kept: an ICC profile (with its PNG name) or the
/// sRGB chunk, never both, and gAMA, cHRM and cICP; a profile that is sRGB's becomes the sRGB chunk
/// (<see cref="WithSrgbProfileAsChunk"/>). The rest is optional and goes with <see cref="WithoutOptional"/>
/// (-Strip): the pixel density, text chunks (never the source's own KMeansPS marker: the output gets a new one) and
/// EXIF (with Orientation already set to 1 when the decoder turned the pixels).
/// </summary>
internal sealed record CarriedMetadata
{
    /// <summary>Nothing to carry.</summary>
    public static CarriedMetadata None { get; } = new();

    /// <summary>The ICC profile, uncompressed; null when the source had none (or a damaged or oversized one).</summary>
    public byte[]? IccProfile { get; init; }

    /// <summary>The profile's name for the iCCP chunk (a valid PNG keyword).</summary>
    public string IccName { get; init; } = IccProfileInfo.DefaultName;

    /// <summary>sRGB, gAMA, cHRM and cICP chunks as the source had them (sRGB only when there is no ICC profile).</summary>
    public IReadOnlyList<AncillaryChunk> ColorChunks { get; init; } = [];

    /// <summary>The pixel density, or null.</summary>
    public PixelDensity? Density { get; init; }

    /// <summary>tEXt, zTXt and iTXt chunks to carry, in source order.</summary>
    public IReadOnlyList<AncillaryChunk> Text { get; init; } = [];

    /// <summary>EXIF data (a TIFF structure, as a PNG eXIf chunk holds it), or null.</summary>
    public byte[]? Exif { get; init; }

    /// <summary>Why the source's EXIF data is not carried (a sentence for the result's warning, <see cref="CarriedExif"/>), or null.</summary>
    public string? DroppedExif { get; init; }

    /// <summary>True when there is nothing to carry.</summary>
    public bool IsEmpty => IccProfile is null && ColorChunks.Count == 0 && Density is null && Text.Count == 0 && Exif is null;

    /// <summary>
    /// An ICC profile that describes sRGB (by its content: <see cref="SrgbIccProfile"/>) replaced by the sRGB chunk with
    /// the profile's rendering intent, which says the same in 13 bytes instead of a few KB; any other profile stays.
    /// </summary>
    public CarriedMetadata WithSrgbProfileAsChunk()
    {
        if (IccProfile is not { } profile || !SrgbIccProfile.Matches(profile, out byte intent)) return this;
        var color = new List<AncillaryChunk>(ColorChunks.Where(c => c.Type != "sRGB"));
        color.Insert(color.Count(c => c.Type == "cICP"), new AncillaryChunk("sRGB", [intent]));
        return this with { IccProfile = null, IccName = IccProfileInfo.DefaultName, ColorChunks = color };
    }

    /// <summary>Why the source's ICC profile is not carried (a sentence for the result's warning), or null.</summary>
    public string? DroppedProfile { get; init; }

    /// <summary>
    /// A damaged ICC profile (<see cref="IccProfileInfo.Damage"/>: cut short, a tag outside it, ...) dropped, with
    /// <see cref="DroppedProfile"/> saying so: libpng ignores such an iCCP chunk, so carrying it would only carry garbage.
    /// Padding past the size the profile states is cut off a whole one.
    /// </summary>
    public CarriedMetadata WithWholeProfileOnly()
    {
        if (IccProfile is not { } profile) return this;
        if (IccProfileInfo.Damage(profile) is not { } why) return this with { IccProfile = IccProfileInfo.Whole(profile) };
        return this with
        {
            IccProfile = null,
            IccName = IccProfileInfo.DefaultName,
            DroppedProfile = $"The source's ICC colour profile ('{IccName}') was dropped: it is damaged ({why}), and PNG readers ignore such a profile, so viewers read the colours as sRGB.",
        };
    }

    /// <summary>
    /// An ICC profile a palette PNG may not carry (<see cref="IccProfileInfo.NotForRgbPng"/>: another colour space than
    /// RGB, a grey or CMYK source's; a device-link, abstract or named-colour profile) dropped, with
    /// <see cref="DroppedProfile"/> saying so: libpng ignores such a profile, and it does not describe RGB values.
    /// </summary>
    public CarriedMetadata WithRgbProfileOnly()
    {
        if (IccProfile is not { } profile || IccProfileInfo.NotForRgbPng(profile) is not { } why) return this;
        return this with
        {
            IccProfile = null,
            IccName = IccProfileInfo.DefaultName,
            DroppedProfile = $"The source's ICC colour profile ('{IccName}', {why}) was dropped: it does not describe the output's RGB colours (libpng ignores such a profile in a PNG), so viewers read them as sRGB.",
        };
    }

    /// <summary>Only the colour management (-Strip): no density, text or EXIF (so no word about EXIF dropped as damaged).</summary>
    public CarriedMetadata WithoutOptional() => this with { Density = null, Text = [], Exif = null, DroppedExif = null };

    /// <summary>
    /// For a GIF output, which carries none of this: a sentence for the result's warning when the dropped colour
    /// information was not sRGB's (an ICC profile: one that is sRGB's by its content became the sRGB chunk already, see
    /// <see cref="WithSrgbProfileAsChunk"/>, whatever the others are named; gAMA or cHRM without an sRGB chunk; any
    /// cICP), so the output's colours are read differently.
    /// </summary>
    public string? DroppedForGif()
    {
        bool srgbChunk = ColorChunks.Any(c => c.Type == "sRGB");
        string[] other = ColorChunks.Select(c => c.Type).Where(t => t == "cICP" || (!srgbChunk && t is "gAMA" or "cHRM")).Distinct().ToArray();
        if (IccProfile is not null)
            return $"The source's ICC colour profile ('{IccName}') was dropped: a GIF cannot carry it, so viewers read the output's colours as sRGB. Write a PNG to keep it.";
        return other.Length == 0 ? null
            : $"The source's colour information ({string.Join(", ", other)}) was dropped: a GIF cannot carry it, so viewers read the output's colours as sRGB. Write a PNG to keep it.";
    }
}
