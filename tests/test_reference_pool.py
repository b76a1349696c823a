"""A small pool with hand-written IR shared by the reference interaction tests (no tests here)."""

from compiler import ir
from reference.testing import atk, poke, trainer

YOU, OPP = ir.Among(player="you"), ir.Among(player="opponent")

PIKA = poke("T-001", "Pikachu", hp=60, type="Lightning", weakness="Fighting", retreat=1,
            attacks=[atk("Gnaw", "C", 10), atk("Thunder", "LL", 40)])
RAICHU = poke("T-002", "Raichu", hp=100, type="Lightning", weakness="Fighting", retreat=1, stage="stage1",
              evolves_from="Pikachu", attacks=[atk("Bolt", "LLC", 90)])
ONIX = poke("T-003", "Onix", hp=100, type="Fighting", weakness="Grass", retreat=3, attacks=[atk("Slam", "FF", 60)])
MEWTWO = poke("T-004", "Mewtwo ex", hp=150, type="Psychic", weakness="Darkness", retreat=2, ex=True,
              attacks=[atk("Psydrive", "PP", 150)])
MEGA = poke("T-005", "Mega Onix ex", hp=200, type="Fighting", retreat=4, mega=True, attacks=[atk("Quake", "F", 10)])
SUPER = poke("T-006", "Alakazam", hp=140, type="Psychic", stage="stage2", evolves_from="Raichu",
             attacks=[atk("Psy", "P", 50)])
MACHOP = poke("T-007", "Machop", hp=70, type="Fighting", weakness="Psychic", retreat=1,
              attacks=[atk("Punch", "F", 20)])
POTION = trainer("T-101", "Potion", "item",
                 ir.TrainerEffect(steps=(ir.Heal(amount=ir.Const(value=20), target=ir.Choose(among=YOU)),)))
PROF = trainer("T-102", "Professor", "supporter", ir.TrainerEffect(steps=(ir.Draw(amount=ir.Const(value=2)),)))
CAPE = trainer("T-103", "Giant Cape", "tool",
               ir.Tool(effects=(ir.Passive(modifiers=(ir.HpBonus(target=ir.ToolHolder(),
                                                                 amount=ir.Const(value=20)),)),)))
STADIUM = trainer("T-104", "Training Area", "stadium", ir.TrainerEffect(steps=()))
STADIUM2 = trainer("T-105", "Peculiar Plaza", "stadium", ir.TrainerEffect(steps=()))
FOSSIL = trainer("T-106", "Helix Fossil", "item", fossil_hp=40)
OMANYTE = poke("T-008", "Omanyte", hp=90, type="Water", stage="stage1", evolves_from="Helix Fossil",
               attacks=[atk("Water Gun", "W", 40)])

RULES_POOL = [PIKA, RAICHU, ONIX, MEWTWO, MEGA, SUPER, MACHOP, POTION, PROF, CAPE, STADIUM, STADIUM2, FOSSIL,
              OMANYTE]
