# Results stream: each result, skip or error is written as soon as it and every earlier input are done, in input order.
# Order is asserted through a log the upstream script block and the downstream consumer share, not through timings:
# upstream runs on the pipeline thread, so a result logged before an upstream step was written before that step ran.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force

    # One log line per downstream object: "result NAME" (with its status when skipped) or "error NAME ID".
    function script:Format-Outcome($item) {
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            "error $(Split-Path -Leaf ([string] $item.TargetObject)) $($item.FullyQualifiedErrorId.Split(',')[0])"
        }
        elseif ($item.Status -ne 'Written') { "result $(Split-Path -Leaf $item.Path) $($item.Status)" }
        else { "result $(Split-Path -Leaf $item.Path)" }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans streaming' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        foreach ($n in 'a', 'b', 'c', 'd') { $null = New-TestPng -Path (Join-Path $script:dir "$n.png") -Width 40 -Height 30 }
        $script:log = [System.Collections.Generic.List[string]]::new()
    }

    It 'writes each result before asking for the next input with -ThrottleLimit 1' {
        $d = $script:dir; $log = $script:log
        & { "$d/a.png"; $log.Add('after-a'); "$d/b.png"; $log.Add('after-b') } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 1 |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        $log | Should -Be @('result a.png', 'after-a', 'result b.png', 'after-b')
    }

    It 'keeps at most ThrottleLimit files in flight: with 2, the first result is out before the third input is sent' {
        $d = $script:dir; $log = $script:log
        & { foreach ($n in 'a', 'b', 'c', 'd') { $log.Add("send $n"); "$d/$n.png" } } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 2 |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        @($log | Where-Object { $_ -like 'result *' }) | Should -Be @('result a.png', 'result b.png', 'result c.png', 'result d.png')
        $log.IndexOf('result a.png') | Should -BeLessThan $log.IndexOf('send c')
        $log.IndexOf('result b.png') | Should -BeLessThan $log.IndexOf('send d')
        $log.IndexOf('result c.png') | Should -BeGreaterThan $log.IndexOf('send c')
    }

    It 'writes errors in input order among the results (damaged and missing files, ThrottleLimit <limit>)' -ForEach @(
        @{ limit = 1 }, @{ limit = 2 }, @{ limit = 4 }
    ) {
        $d = $script:dir; $log = $script:log
        [IO.File]::WriteAllBytes("$d/bad.png", [byte[]] (137, 80, 78, 71, 1, 2, 3))
        & { "$d/a.png"; "$d/bad.png"; "$d/missing.png"; "$d/b.png" } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit $limit -ErrorAction Continue 2>&1 |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        $log | Should -Be @('result a.png', 'error bad.png InvalidImage', 'error missing.png FileNotFound', 'result b.png')
    }

    It 'writes an error found while planning (an output that exists) after the earlier results' {
        $d = $script:dir; $log = $script:log
        Set-Content -LiteralPath "$d/c-k8.png" -Value 'not made by the module'
        & { "$d/a.png"; "$d/b.png"; "$d/c.png"; "$d/d.png" } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 3 -ErrorAction Continue 2>&1 |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        $log | Should -Be @('result a.png', 'result b.png', 'error c.png OutputExists', 'result d.png')
    }

    It 'keeps skipped inputs (own outputs, up to date) in input order' {
        $d = $script:dir; $log = $script:log
        $null = Compress-ImageKMeans -LiteralPath "$d/b.png" -K 8 -Seed 1
        & { "$d/a.png"; "$d/b-k8.png"; "$d/b.png"; "$d/c.png" } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 2 |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        $log | Should -Be @('result a.png', 'result b-k8.png SkippedOwnOutput', 'result b.png SkippedUpToDate', 'result c.png')
    }

    It 'keeps the order of inputs given together in one -Path' {
        $d = $script:dir
        $names = Compress-ImageKMeans -Path "$d/d.png", "$d/missing.png", "$d/a.png", "$d/c.png" -K 8 -Seed 1 -ThrottleLimit 2 -ErrorAction Continue 2>&1 |
            ForEach-Object { Format-Outcome $_ }
        $names | Should -Be @('result d.png', 'error missing.png FileNotFound', 'result a.png', 'result c.png')
    }

    It 'still holds back a single-file -Destination until the input has ended' {
        $d = $script:dir; $log = $script:log
        & { "$d/a.png"; $log.Add('after-a') } |
            Compress-ImageKMeans -K 8 -Seed 1 -Destination "$d/out.png" |
            ForEach-Object { $log.Add((Format-Outcome $_)) }
        $log | Should -Be @('after-a', 'result a.png')
        Test-Path -LiteralPath "$d/out.png" | Should -BeTrue
    }

    It 'writes the -Verbose reason an existing output is not up to date with that input''s outcome, after earlier results' {
        $d = $script:dir; $log = $script:log
        # b's output exists, made with another seed: its reason and its OutputExists error come after a's result
        # (a is large, so it is still being compressed when b is planned).
        $null = New-NoisePng -Path "$d/a.png" -Width 900 -Height 700 -Seed 3
        $null = Compress-ImageKMeans -LiteralPath "$d/b.png" -K 8 -Seed 1
        & { "$d/a.png"; "$d/b.png"; "$d/c.png" } |
            Compress-ImageKMeans -K 8 -Seed 2 -ThrottleLimit 2 -Verbose -ErrorAction Continue 2>&1 4>&1 |
            ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -like "*b-k8.png' was made with*") { $log.Add('verbose b') } }
                else { $log.Add((Format-Outcome $_)) }
            }
        $log | Should -Be @('result a.png', 'verbose b', 'error b.png OutputExists', 'result c.png')
    }
}

Describe 'Measure-ImageKMeans streaming' {
    It 'writes each image''s rows before asking for the next image, errors in order' {
        $dir = Join-Path $TestDrive 'measure'
        New-Item -ItemType Directory -Path $dir | Out-Null
        foreach ($n in 'a', 'b') { $null = New-TestPng -Path (Join-Path $dir "$n.png") -Width 40 -Height 30 }
        $log = [System.Collections.Generic.List[string]]::new()
        & { "$dir/a.png"; $log.Add('after-a'); "$dir/missing.png"; $log.Add('after-missing'); "$dir/b.png" } |
            Measure-ImageKMeans -K 4, 8 -Seed 1 -ErrorAction Continue 2>&1 |
            ForEach-Object { $log.Add($(if ($_ -is [System.Management.Automation.ErrorRecord]) { "error $(Split-Path -Leaf $_.TargetObject)" } else { "K$($_.K) $(Split-Path -Leaf $_.Path)" })) }
        $log | Should -Be @('K4 a.png', 'K8 a.png', 'after-a', 'error missing.png', 'after-missing', 'K4 b.png', 'K8 b.png')
    }
}
