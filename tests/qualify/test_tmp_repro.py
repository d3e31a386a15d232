from hypothesis import given, settings, reproduce_failure, HealthCheck
from hypothesis import strategies as st
from datetime import UTC, datetime
import tests.qualify.test_frame as tf

@reproduce_failure('6.170.27', b'AXicTVRvTFxFEN95x+MOxNLSII34p9XSkjbVKqgkmtR5Vz80Qf2iSWuTGinWAvUQ26NwxoTFFi0olJ5WsCVogUKuLbWBlgbSmty+r01MjInf1KiJxsbAO7/5xZnZ99B79/bt7sz+ZnbmN4MxVPLwFzznBVSe8xdCrz+GKvtKoW/xA3PSP3vAn1gZPn11o1lg5V7Tjw4qAHQBY/JXKsQBntOHFzxYqTzrZdzGYxLTv1q5nJFxi13B6pYDmKCJoCjcA1iK65UVbgcxRE8lVvEkwBLWj7GwkWVFyovfRRcfJIzHscJb08jQQH4XCSagF0G4ofckVBAaLAEstrNixg2v5zD8A/RuiKA4aPCyvSe9iVWAUj5GbhCOlXnqRzHIixKCwnv50AZ6m3nyiNiITkO2zSyYE4Vb50fbgy9HF/0Jf6qNjusuHg6DrgPdovQR0B28kQF9FPQO0MeUznAOdDfo4yQE/baM7WTwY3PpvWDodM4MmTPvsz8j4r2aFLO95tpqziRjxbzb1/Va/mb+tty9P8h9Oru8MHHBvxqmCLz4tzzRrWyylcyLsUOgXwf9NOgU6GdAvwt6u9Jp0DspjfpJcpWs6GYb04h+SiLj2BSoMEOyobCCznEyS4VBNbjDg39EGpNjKiSvBE7w7CJBh/4kWsSxHNfhGk/dsW7X7vpuNvXD89tcuX68QLjl/zMZB3uzn2VVhnW4JRlTNRyBoeXLi1OHk/70i/mZwmD2sygMZOgPQmGc+7HES9wRV1xL46R7qoc4yHNHsTmXVmvpqUg6HVRuCjCqA+uEi874Rn9q+cbM/EvPmXPLV5a+qMnnVk6cmzFTh/JLqRYzaBb5SDnGCfAXIhiRDbdinVcNYVwIoXBx4FTnvsL17JgZ8C+bEf/z33Kze1ONncHg3FdNec62ZKhV6NMJul7+x2XeIWMz6DeBM0Y6TTSn8Nb2KPsTinWJ2hvCyHbQb4E+KMpHhQGk8JTsNFDsdsO0GgfdJjAOEnRaQIkdOxl31/evyo/DwaCE1UYxVJyIMnyIbrUJS5Nw6+GILoDPim5GOE5+tgjzuqU2umST6FivQvKU4X0U883oeNXGBlxK93fBaBKT3UoCepfKupp0q7DSg07O+/imv/sm51YmR3Pmon+m0P/1cDCiL/jXzbw5mf/G79ls5iS7YecDr3IvpmzDQGegwT8f3PhoLLg23Pdfm1TSWWJC0XuI11VYi495lVVSTumIjcpL7yO1sPl8Uu9f8eeDpbGbhYn5Ec89wq1MvwP6Cbl/RkJqqz4j+8ckE5yYqMfuFzR+nQ/3B2ens2Y8ue4naerSF22DTqyWk0oWHVhiPulHmS4tYquB489pPqi4Wpzdyh/dw1dX/wJjFJj0')
@settings(database=None, suppress_health_check=list(HealthCheck), max_examples=1000, derandomize=False)
@given(tf._case(), st.sampled_from([tf.AS_OF, datetime(2031, 1, 1, tzinfo=UTC)]))
def test_repro(case, as_of):
    policy, batch = case
    from funnelkit.io import leads_to_tables
    from funnelkit.qualify import qualify, qualify_frame, result_row
    tables = leads_to_tables(batch)
    frame = qualify_frame(tables.leads, tables.signals, policy, as_of=as_of, explain=True)
    for lead, row in zip(batch, frame.rows(named=True)):
        exp = result_row(qualify(lead, policy, as_of=as_of), explained=True)
        if exp["next_facts"] != row["next_facts"]:
            import pprint
            for a, b in zip(exp["next_facts"], row["next_facts"]):
                if a != b: print("ROW", a); print("FRM", b)
            print(len(exp["next_facts"]), len(row["next_facts"]))
            for k in exp:
                if k.endswith("_unknown") and exp[k] != row[k]: print(k, exp[k], row[k])
            print("stage", exp["stage"], row["stage"], lead.stage_history)
            assert False
