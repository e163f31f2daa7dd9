namespace KMeansPS.Imaging.Tga;

/// <summary>
/// A run-length TGA's run packet (one pixel repeated) that runs across a row's end, which TGA 1.0 allowed and TGA 2.0
/// says a packet should not do. ImageMagick and ImageSharp read on into the next row; PIL refuses the file ("buffer
/// overrun"). The integrity scanner notes it as it walks the packets (<see cref="Integrity.IntegrityReport.TgaRunAcrossRows"/>),
/// and the decode reads the file as ImageMagick does and warns.
/// </summary>
internal static class RunAcrossRows
{
    public const string Warning =
        "The TGA's run-length data holds a run that goes on past a row's end, which TGA 2.0 says a packet should not do: read on into the next row, as ImageMagick reads it (PIL refuses the file).";
}
