namespace KMeansPS.Imaging.Integrity;

/// <summary>What the scanner found in one file.</summary>
internal sealed record IntegrityReport
{
    public required ImageFileFormat Format { get; init; }

    public required IntegrityVerdict Verdict { get; init; }

    /// <summary>
    /// Why the verdict is not <see cref="IntegrityVerdict.Intact"/>, as a clause for a user ("the PNG image data
    /// ends after 41 of 427 rows"); null when intact.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>The declared width of the decoded image (GIF logical screen, WebP canvas, TIFF first page); 0 when unknown.</summary>
    public long Width { get; init; }

    public long Height { get; init; }

    /// <summary>Frames or pages the file holds (APNG frames, GIF frames, WebP ANMF frames, TIFF pages); 1 for a still image.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>
    /// Pixels a full decode by ImageSharp 2.1 would allocate: every GIF frame at the logical screen's size, every
    /// TIFF page at its own size, every animated WebP frame at the canvas size; width x height otherwise.
    /// </summary>
    public long DecodedPixels { get; init; }

    /// <summary>Colour components of a JPEG's frame (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK); 0 for other formats.</summary>
    public int Components { get; init; }

    /// <summary>The most bits any sample of the (first) image has, when the format says (TIFF); else 0.</summary>
    public int SampleBits { get; init; }

    /// <summary>The orientation tag (1 to 8) of a TIFF's first page, which ImageSharp 2.1 does not apply; else null.</summary>
    public int? Orientation { get; init; }

    /// <summary>A TIFF's first page's orientation tag of several values that would turn it, which the decode leaves unapplied; else null.</summary>
    public Decoding.MalformedOrientation? MalformedOrientation { get; init; }

    /// <summary>
    /// Where a lossy WebP's frame data is (its pad byte included), when the scanner was asked not to walk it
    /// (<see cref="IntegrityOptions.WalkLossyWebpFrame"/>): the caller's to walk. Null otherwise.
    /// </summary>
    public (int Offset, int Length)? LossyWebpFrame { get; init; }

    /// <summary>
    /// A run-length TGA holds a run packet (one pixel repeated) that runs across a row's end, which TGA 2.0 says a packet
    /// should not do: ImageMagick and ImageSharp read on into the next row, PIL refuses the file.
    /// </summary>
    public bool TgaRunAcrossRows { get; init; }

    /// <summary>Metadata blocks over <see cref="IntegrityOptions.MaxMetadataBytes"/>: refuse the file or decode it without metadata.</summary>
    public IReadOnlyList<MetadataBlock> OversizedMetadata { get; init; } = [];

    /// <summary>True when the scanner itself failed (a bug): the verdict is then <see cref="IntegrityVerdict.NotChecked"/>.</summary>
    internal bool ScannerFault { get; init; }

    public bool IsIntact => Verdict == IntegrityVerdict.Intact;
}
