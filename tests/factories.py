"""Factories for the base records. Keep defaults valid and Vietnamese, so tests read like the domain."""

import factory

from blocs.models import Bloc, Council, Membership, Seat, Unit, User


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Hội đồng Thi đua – Khen thưởng tỉnh Thử nghiệm {n}")
    place_name = "An Giang"
    parent_body = "UBND TỈNH AN GIANG"
    issuing_body = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    current_year = 2021


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    council = factory.SubFactory(CouncilFactory)
    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    kind = Unit.Kind.AGENCY
    head_name = "Nguyễn Văn An"
    head_title = "Giám đốc"


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Khối thi đua số {n}")
    code = factory.Sequence(lambda n: f"KTĐ-T{n}")
    kind = Bloc.Kind.BLOC


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    bloc = factory.SubFactory(BlocFactory)
    unit = factory.SubFactory(UnitFactory, council=factory.SelfAttribute("..bloc.council"))
    first_year = 2018
    last_year = None
    display_order = factory.Sequence(lambda n: n + 1)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    bloc = factory.SubFactory(BlocFactory)
    year = 2021
    unit = factory.SubFactory(UnitFactory)
    rank = 0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    council = factory.SubFactory(CouncilFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "mat-khau-thu-nghiem-1")
        if create:
            obj.save()
