# Two processes running Compress-ImageKMeans -Force -ComparisonPath over the same sources at once, without -Seed: each
# writes every output and figure, and each publish is a rename of its own. Without a tie between the two publishes
# one run could publish its output and its figure between the other's, leaving the other's figure beside its output.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Two overlapping -Force -ComparisonPath runs over the same sources' -Skip:$IsWindows {
    It 'leave every output beside the figure of the same run (the same marker, so the same seed), round after round' {
        # Two warm sessions, started together on each round (a file is the starting gun), so the runs overlap on the
        # same files many times for one start-up each.
        $dir = Join-Path $TestDrive "overlap-force-$([guid]::NewGuid())"
        $src = New-Item -ItemType Directory -Path (Join-Path $dir 'src') -Force
        foreach ($i in 0..3) { $null = New-TestPng -Path (Join-Path $src "s$i.png") -Width 64 -Height 48 }
        # 12 rounds of 4 pairs: the build before mismatched 9 of 100 pairs, so it passes 48 by chance about once in 100 runs.
        $rounds = 12
        $module = (Resolve-Path (Get-KMeansPSModulePath)).Path
        $script = Join-Path $dir 'run.ps1'
        Set-Content -LiteralPath $script -Value @"
param([string] `$Who)
Import-Module '$module'
foreach (`$round in 1..$rounds) {
    while (-not (Test-Path -LiteralPath "$dir/go-`$round")) { Start-Sleep -Milliseconds 2 }
    `$rows = Get-ChildItem '$src/*.png' | Compress-ImageKMeans -K 4 -Force -Destination "$dir/r`$round/out/" -ComparisonPath "$dir/r`$round/cmp/" -ErrorAction SilentlyContinue -ErrorVariable errs
    foreach (`$e in `$errs) { 'error ' + `$e.FullyQualifiedErrorId + ' ' + `$e.Exception.Message }
    foreach (`$r in `$rows) { 'row ' + `$r.Status }
    `$null = New-Item -ItemType File -Path "$dir/`$Who-done-`$round"
}
"@
        $logs = foreach ($who in 'a', 'b') { Join-Path $dir "$who.log" }
        $children = foreach ($who in 'a', 'b') {
            Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script, $who -RedirectStandardOutput (Join-Path $dir "$who.log") -PassThru
        }
        foreach ($round in 1..$rounds) {
            if ($round -gt 1) {
                $waited = [Diagnostics.Stopwatch]::StartNew()
                while (-not ((Test-Path -LiteralPath "$dir/a-done-$($round - 1)") -and (Test-Path -LiteralPath "$dir/b-done-$($round - 1)"))) {
                    $waited.Elapsed.TotalSeconds | Should -BeLessThan 120 -Because "round $($round - 1) ends"
                    Start-Sleep -Milliseconds 10
                }
            }
            $null = New-Item -ItemType File -Path "$dir/go-$round"
        }
        foreach ($c in $children) { $c.WaitForExit(300000) | Should -BeTrue }
        $lines = $logs | ForEach-Object { Get-Content -LiteralPath $_ }
        @($lines | Where-Object { $_ -like 'error *' }) | Should -BeNullOrEmpty
        @($lines | Where-Object { $_ -eq 'row Written' }).Count | Should -Be (2 * 4 * $rounds) -Because '-Force writes every source in both runs'
        $mismatched = foreach ($round in 1..$rounds) {
            foreach ($output in Get-ChildItem -LiteralPath (Join-Path $dir "r$round/out") -Filter '*.png') {
                $figure = Join-Path $dir "r$round/cmp/$($output.BaseName)-comparison.png"
                if ((Get-PngMarkerText $figure) -ne (Get-PngMarkerText $output.FullName)) { "round ${round}: $($output.Name)" }
            }
        }
        $mismatched | Should -BeNullOrEmpty -Because 'an output and its figure come from one run'
    }
}
