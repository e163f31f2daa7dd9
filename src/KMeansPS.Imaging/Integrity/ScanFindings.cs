namespace KMeansPS.Imaging.Integrity;

/// <summary>What a format scanner has learnt so far; it turns into an <see cref="IntegrityReport"/> at the end.</summary>
internal sealed class ScanFindings(ImageFileFormat format)
{
    public ImageFileFormat Format { get; } = format;

    public long Width { get; set; }

    public long Height { get; set; }

    public int Frames { get; set; } = 1;

    public int Components { get; set; }

    /// <summary>The most bits any sample of the (first) image has, when the format says (TIFF); else 0.</summary>
    public int SampleBits { get; set; }

    /// <summary>The orientation tag of the (first) image, 1 to 8, when the format carries one in its structure (TIFF); else null.</summary>
    public int? Orientation { get; set; }

    /// <summary>An orientation tag of several values that would turn the picture, left unapplied (TIFF); else null.</summary>
    public Decoding.MalformedOrientation? MalformedOrientation { get; set; }

    /// <summary>A run-length TGA holds a run packet that runs across a row's end (<see cref="IntegrityReport.TgaRunAcrossRows"/>).</summary>
    public bool TgaRunAcrossRows { get; set; }

    /// <summary>Set when a decode holds more than Width x Height pixels (frames, pages).</summary>
    public long? DecodedPixels { get; set; }

    /// <summary>A lossy WebP frame's data left unwalked, for the caller (<see cref="IntegrityReport.LossyWebpFrame"/>).</summary>
    public (int Offset, int Length)? LossyWebpFrame { get; set; }

    private List<MetadataBlock>? _oversized;

    public void AddOversized(MetadataBlock block) => (_oversized ??= []).Add(block);

    public IntegrityReport Intact() => Build(IntegrityVerdict.Intact, null);

    public IntegrityReport Damaged(string reason) => Build(IntegrityVerdict.Damaged, reason);

    public IntegrityReport Unsupported(string reason) => Build(IntegrityVerdict.Unsupported, reason);

    public IntegrityReport NotChecked(string reason) => Build(IntegrityVerdict.NotChecked, reason);

    private IntegrityReport Build(IntegrityVerdict verdict, string? reason) => new()
    {
        Format = Format,
        Verdict = verdict,
        Reason = reason,
        Width = Width,
        Height = Height,
        Frames = Frames,
        Components = Components,
        SampleBits = SampleBits,
        Orientation = Orientation,
        MalformedOrientation = MalformedOrientation,
        DecodedPixels = DecodedPixels ?? Saturating.Multiply(Width, Height),
        OversizedMetadata = _oversized is null ? [] : _oversized,
        LossyWebpFrame = LossyWebpFrame,
        TgaRunAcrossRows = TgaRunAcrossRows,
    };
}
