using System.Buffers.Binary;
using KMeansPS.Imaging.Gif;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// GIF: header, colour tables, the chain of blocks and sub-blocks, and each frame's LZW data run far enough to
/// count the pixels the decoder needs (<see cref="GifLzwCounter"/>).
/// </summary>
/// <remarks>
/// Damage: the file ends before a frame's pixels are complete ("no GIF trailer: the file ends inside frame 3"), a
/// frame's data ends short or names a code not yet in the table after a clear code, a frame of zero size, no colour table at all, an LZW code size the decoder cannot use,
/// a pixel whose index names no entry of its frame's colour table and is not its transparent index (decoders disagree
/// on its colour: ImageSharp 2.1 gives the last entry, browsers and ImageMagick others; looked for anywhere in the
/// frame's data, also in columns past the screen), or no frame. Unsupported: an interlaced frame 2 to 4 rows tall
/// (ImageSharp 2.1 misplaces its rows) or a later frame reaching past the bottom of the screen (it throws), and a first
/// frame reaching past 65,535 pixels. Tolerated, as browsers and ImageSharp do: a missing trailer after complete frames, bytes after the
/// trailer, LZW data without its end code. A first frame reaching past the logical screen widens the screen
/// (<see cref="ScreenCoveringFirstFrame"/>, which the report's size gives), so all its rows are needed; a later frame's rows past the screen
/// are not, as ImageSharp reads only those on it. A file cut exactly between two frames cannot be told from one
/// without a trailer: it passes with the frames it holds, which <see cref="IntegrityReport.Frames"/> shows.
/// </remarks>
internal static class GifScanner
{
    private const byte ImageSeparator = 0x2C, ExtensionIntroducer = 0x21, Trailer = 0x3B;
    private const byte CommentLabel = 0xFE, ApplicationLabel = 0xFF, GraphicControlLabel = 0xF9;

    public static IntegrityReport Scan(ReadOnlySpan<byte> file, IntegrityOptions options)
    {
        var found = new ScanFindings(ImageFileFormat.Gif) { Frames = 0 };
        if (file.Length < 13) return found.Damaged("the file ends inside the GIF header");
        int screenWidth = BinaryPrimitives.ReadUInt16LittleEndian(file[6..]);
        int screenHeight = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        found.Width = screenWidth;
        found.Height = screenHeight;
        found.DecodedPixels = 0;
        if (screenWidth == 0 || screenHeight == 0)
            return found.Damaged($"the GIF header gives a screen size of {Plain.Size(screenWidth, screenHeight)}");
        // ImageSharp is handed the screen widened to cover the first frame, so all of that frame's rows are decoded.
        (screenWidth, screenHeight) = ScreenCoveringFirstFrame.Size(file);
        found.Width = screenWidth;
        found.Height = screenHeight;
        if (screenWidth > ScreenCoveringFirstFrame.MaxSide || screenHeight > ScreenCoveringFirstFrame.MaxSide)
            return found.Unsupported($"frame 1 reaches past the logical screen to {Plain.Size(screenWidth, screenHeight)}, more than a GIF's screen can be (65,535 pixels a side)");
        byte flags = file[10];
        bool globalTable = (flags & 0x80) != 0;
        int globalColors = globalTable ? 2 << (flags & 7) : 0;
        int p = 13;
        if (globalTable)
        {
            int size = 3 * globalColors;
            if (file.Length - p < size) return found.Damaged("the file ends inside the GIF's global colour table");
            p += size;
        }

        Span<ushort> lengths = stackalloc ushort[4096];
        int frames = 0;
        int transparent = -1; // the next frame's transparent index (a graphic control extension's), or -1
        bool control = false; // a graphic control extension read since the last image
        while (p < file.Length)
        {
            byte introducer = file[p];
            if (introducer == ImageSeparator)
            {
                frames++;
                string? problem = ScanFrame(file, ref p, frames, screenHeight, globalColors, transparent, lengths, out bool fileEnded, out bool unsupported);
                transparent = -1;
                control = false;
                if (problem is not null)
                {
                    ScanFindings upTo = Finish(found, frames - 1, screenWidth, screenHeight);
                    return unsupported ? upTo.Unsupported(problem) : upTo.Damaged(problem);
                }
                if (fileEnded) break;
            }
            else if (introducer == ExtensionIntroducer)
            {
                int start = p;
                if (file.Length - p < 2) return Finish(found, frames, screenWidth, screenHeight).Damaged(EndsInExtension(frames));
                byte label = file[p + 1];
                p += 2;
                // A graphic control extension's block: packed fields (bit 0: a transparent index follows), delay, index.
                // The first before an image counts, as giflib, PIL and ImageMagick take it (and ImageSharp's copy keeps it).
                if (label == GraphicControlLabel && file.Length - p >= 5 && file[p] >= 4 && !control)
                {
                    transparent = (file[p + 1] & 1) != 0 ? file[p + 4] : -1;
                    control = true;
                }
                long stored = SkipSubBlocks(file, ref p, out bool complete);
                if (!complete) return Finish(found, frames, screenWidth, screenHeight).Damaged(EndsInExtension(frames));
                // ImageSharp keeps comments and XMP packets as strings.
                if ((label == CommentLabel || label == ApplicationLabel) && stored > options.MaxMetadataBytes)
                    found.AddOversized(new MetadataBlock(label == CommentLabel ? "GIF comment" : "GIF application extension", start, stored, stored));
            }
            else if (introducer == Trailer)
            {
                break;
            }
            else
            {
                // A stray byte between blocks, stepped over as giflib, PIL and ImageMagick step over it; a zero byte, which
                // ImageSharp takes for the end, is left out of its copy (Gif/PlainExtensions).
                p++;
            }
        }
        if (frames == 0) return Finish(found, 0, screenWidth, screenHeight).Damaged("the GIF holds no image (no frame before its end)");
        return Finish(found, frames, screenWidth, screenHeight).Intact();
    }

    private static ScanFindings Finish(ScanFindings found, int frames, int screenWidth, int screenHeight)
    {
        found.Frames = frames;
        // ImageSharp allocates every frame at the logical screen's size.
        found.DecodedPixels = (long)Math.Max(frames, 1) * screenWidth * screenHeight;
        return found;
    }

    private static string EndsInExtension(int frames) =>
        frames == 0 ? "the file ends inside an extension block before the first frame"
            : $"no GIF trailer: the file ends inside an extension block after frame {frames}";

    /// <summary>
    /// Reads one frame from its separator at <paramref name="p"/>; returns the problem, or null with
    /// <paramref name="p"/> past the frame. <paramref name="fileEnded"/> is set when the file ended inside the
    /// frame's trailing sub-blocks after all its pixels (tolerated). <paramref name="unsupported"/> is set with a problem
    /// that makes the file unsupported (valid, but misread by ImageSharp) rather than damaged.
    /// </summary>
    private static string? ScanFrame(ReadOnlySpan<byte> file, ref int p, int frame, int screenHeight, int globalColors, int transparent,
        Span<ushort> lengths, out bool fileEnded, out bool unsupported)
    {
        fileEnded = unsupported = false;
        if (file.Length - p < 10) return $"no GIF trailer: the file ends inside the descriptor of frame {frame}";
        int left = BinaryPrimitives.ReadUInt16LittleEndian(file[(p + 1)..]);
        int top = BinaryPrimitives.ReadUInt16LittleEndian(file[(p + 3)..]);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(file[(p + 5)..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(file[(p + 7)..]);
        byte flags = file[p + 9];
        p += 10;
        if (width == 0 || height == 0) return $"frame {frame} has a size of {Plain.Size(width, height)}";
        bool localTable = (flags & 0x80) != 0, interlaced = (flags & 0x40) != 0;
        int colors = localTable ? 2 << (flags & 7) : globalColors;
        if (localTable)
        {
            int size = 3 * colors;
            if (file.Length - p < size) return $"no GIF trailer: the file ends inside the colour table of frame {frame}";
            p += size;
        }
        // ImageSharp 2.1 steps to the next interlace pass at most once a row, so a pass with no rows (a frame 2 to 4
        // rows tall) sends the next pass's rows to the wrong places: row 1 of a frame 3 or 4 rows tall is misplaced,
        // and a frame 2 rows tall throws.
        if (interlaced && height is >= 2 and <= 4)
        {
            unsupported = true;
            return $"frame {frame} is interlaced and {height} rows tall; ImageSharp 2.1 puts the rows of interlaced GIF frames 2 to 4 rows tall in the wrong places";
        }
        // Nor does it read an interlaced frame that reaches past the bottom of the screen (it throws); a frame that is
        // not interlaced is cut at the screen's edge, as browsers cut it.
        if (interlaced && top + height > screenHeight)
        {
            unsupported = true;
            return $"frame {frame} is interlaced and reaches past the bottom of the screen (rows {top} to {top + height - 1} of {screenHeight}); ImageSharp 2.1 cannot read such frames";
        }
        if (colors == 0)
            return $"frame {frame} has no colour table (neither a global nor a local one), so its pixels have no colours";
        if (p >= file.Length) return $"no GIF trailer: the file ends inside frame {frame}, before its image data";
        int minCodeSize = file[p++];
        if (minCodeSize is < 2 or > 12) return $"frame {frame}'s LZW code size is {minCodeSize}, which cannot be decoded";

        // ImageSharp decodes only the rows that fall on the logical screen.
        int rows = top >= screenHeight ? 0 : Math.Min(height, screenHeight - top);
        long wanted = (long)width * rows;
        var counter = new GifLzwCounter(minCodeSize, lengths, wanted, colors, transparent);
        while (true)
        {
            if (p >= file.Length)
            {
                if (counter.Pixels >= wanted && !counter.Corrupt)
                {
                    fileEnded = true;
                    return null;
                }
                return $"no GIF trailer: the file ends inside frame {frame} (its image data holds {Plain.Rows(counter.Pixels / width, rows)})";
            }
            int size = file[p++];
            if (size == 0) break;
            // ImageSharp drops a sub-block the file cuts short, so its bytes give no pixels.
            if (size > file.Length - p)
            {
                p = file.Length;
                continue;
            }
            if (!counter.Finished) counter.Feed(file.Slice(p, size));
            p += size;
        }
        if (counter.Corrupt)
            return $"frame {frame}'s LZW data is corrupt after {Plain.Rows(counter.Pixels / width, rows)} (a code that is not yet in the table)";
        if (counter.Pixels < wanted)
            return $"frame {frame}'s image data ends after {Plain.Rows(counter.Pixels / width, rows)}";
        if (counter.FirstPixelBeyond >= 0)
        {
            long row = counter.FirstPixelBeyond / width, x = left + counter.FirstPixelBeyond % width;
            long y = top + (interlaced ? InterlacedRow(row, height) : row);
            return $"frame {frame}'s pixel at ({Plain.N(x)}, {Plain.N(y)}) uses colour index {counter.IndexBeyond}, beyond its colour table of "
                + $"{Plain.N(colors)} colours; decoders disagree on its colour";
        }
        return null;
    }

    /// <summary>The frame row that the data's <paramref name="row"/>-th row fills in an interlaced frame (rows 0, 8, 16, ..., then 4, 12, ..., then 2, 6, ..., then 1, 3, ...).</summary>
    private static long InterlacedRow(long row, int height)
    {
        foreach ((int start, int step) in (ReadOnlySpan<(int, int)>)[(0, 8), (4, 8), (2, 4), (1, 2)])
        {
            long count = height > start ? (height - start + step - 1) / step : 0;
            if (row < count) return start + row * step;
            row -= count;
        }
        return row; // not reached: the data holds the frame's rows only
    }

    /// <summary>The bytes of the colour table a GIF screen's or image's packed <paramref name="flags"/> announce (0 for none).</summary>
    internal static int TableBytes(byte flags) => (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0;

    /// <summary>Steps over a chain of sub-blocks; returns the bytes of data in it (<paramref name="p"/> at the end of the file when it is cut short).</summary>
    internal static long SkipSubBlocks(ReadOnlySpan<byte> file, ref int p, out bool complete)
    {
        long total = 0;
        while (p < file.Length)
        {
            int size = file[p++];
            if (size == 0)
            {
                complete = true;
                return total;
            }
            if (file.Length - p < size) break;
            p += size;
            total += size;
        }
        complete = false;
        p = file.Length;
        return total;
    }
}
